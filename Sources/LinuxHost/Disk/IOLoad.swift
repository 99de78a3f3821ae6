import Glibc
import StressCore
import SystemPackage

/// The blocking loop of one I/O worker, like one `fio` job with
/// ioengine=psync: random reads and writes of one block at a time in one
/// file, at full speed or at a pace, timed one by one.
///
/// `prepare` makes the file (never one that exists, never through a link)
/// and lays it out; `run` loads it until a deadline. The worker never
/// deletes the file: the caller made the directory and removes it.
///
/// - Important: blocks its thread in `prepare` and `run`; takes
///   `workingSetBytes` of disk until the file is removed; not thread-safe.
public final class IOLoad {
    public let configuration: Configuration
    /// Where the file was made, for messages.
    public let path: FilePath
    /// Whether I/O bypasses the page cache: false when direct I/O was not
    /// asked for, or was and the file system refused it (see `directIOFellBack`).
    public let isDirect: Bool
    /// How long the layout took (not part of any run's totals).
    public private(set) var layoutNanoseconds: UInt64 = 0
    let descriptor: CInt
    /// One block, aligned for O_DIRECT; written from and read into.
    let buffer: UnsafeMutableRawBufferPointer

    /// Direct I/O was asked for but the file system refused it with EINVAL
    /// (ramfs, tmpfs before Linux 6.6, some FUSE file systems): the load
    /// runs buffered, mostly against the page cache, and a report should say so.
    public var directIOFellBack: Bool { configuration.directIO && !isDirect }

    /// O_DIRECT buffers, offsets and sizes must be aligned to the device's
    /// logical block; a page covers every device there is.
    static let alignment = 4096

    /// O_DIRECT, which Swift's Glibc module does not export (<fcntl.h>
    /// defines it only under _GNU_SOURCE). Its value is per architecture
    /// (asm/fcntl.h); a test checks that the kernel treats it as O_DIRECT
    /// (a misaligned offset is refused with EINVAL).
    static let directFlag: CInt = {
        #if arch(arm64) || arch(arm)
        return 0o200000
        #elseif arch(powerpc64) || arch(powerpc64le)
        return 0o400000
        #else
        return 0o40000  // asm-generic: x86_64, riscv64, s390x, loongarch64
        #endif
    }()

    private init(configuration: Configuration, path: FilePath, descriptor: CInt, buffer: UnsafeMutableRawBufferPointer, isDirect: Bool) {
        self.configuration = configuration
        self.path = path
        self.descriptor = descriptor
        self.buffer = buffer
        self.isDirect = isDirect
    }

    deinit {
        close(descriptor)
        free(buffer.baseAddress)
    }

    /// Creates `configuration.fileName` in `directory` (O_CREAT|O_EXCL|
    /// O_NOFOLLOW, mode 0600), turns on O_DIRECT if asked, and lays the
    /// file out: fallocate(2) to the working-set size, then writes it whole
    /// once (in the same direct or buffered mode), so reads meet real data on
    /// the device rather than holes the file system answers from memory and
    /// writes overwrite blocks rather than split unwritten extents. The layout's time is `layoutNanoseconds`, not
    /// counted in any run.
    /// - Throws: `HostError` of openat, fcntl, posix_memalign, fallocate or
    ///   pwrite (EEXIST if the name is taken, ENOSPC if the disk is full).
    public static func prepare(in directory: OpenDirectory, _ configuration: Configuration) throws(HostError) -> IOLoad {
        let path = directory.path.appending(configuration.fileName)
        let start = MonotonicClock.now()
        let fd = openat(directory.descriptor, configuration.fileName, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system(call: "open", path: path.string, errno: Errno(rawValue: Glibc.errno)) }
        var isDirect = false
        let buffer: UnsafeMutableRawBufferPointer
        do {
            if configuration.directIO { isDirect = try enableDirectIO(fd, path: path) }
            buffer = try alignedBuffer(bytes: configuration.blockBytes, path: path)
        } catch {
            close(fd)
            throw error
        }
        fillRandom(buffer, seed: configuration.seed)
        let load = IOLoad(configuration: configuration, path: path, descriptor: fd, buffer: buffer, isDirect: isDirect)
        try layOut(fd, configuration, path: path)
        load.layoutNanoseconds = MonotonicClock.now() - start
        return load
    }
}
