import CLinux
import Glibc
import StressCore
import SystemPackage

extension IOLoad {
    /// The write size of the layout: large enough that it goes at the
    /// device's sequential speed whatever the block size of the load.
    static let layoutChunkBytes = 1 << 20

    /// Turns on O_DIRECT with fcntl(F_SETFL) on the open file rather than at
    /// open(2): a file system without direct I/O refuses both with EINVAL,
    /// but open would have made the file by then (O_EXCL forbids opening it
    /// again by name). False when refused.
    static func enableDirectIO(_ fd: CInt, path: FilePath) throws(HostError) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0 else { throw .system(call: "fcntl(F_GETFL)", path: path.string, errno: Errno(rawValue: Glibc.errno)) }
        guard fcntl(fd, F_SETFL, flags | directFlag) == 0 else {
            let error = Errno(rawValue: Glibc.errno)
            if error == .invalidArgument { return false }
            throw .system(call: "fcntl(F_SETFL, O_DIRECT)", path: path.string, errno: error)
        }
        return true
    }

    /// posix_memalign(3)ed memory for O_DIRECT; the caller frees it.
    static func alignedBuffer(bytes: Int, path: FilePath) throws(HostError) -> UnsafeMutableRawBufferPointer {
        var memory: UnsafeMutableRawPointer?
        let result = posix_memalign(&memory, alignment, bytes)
        guard result == 0, let memory else {
            throw .system(call: "posix_memalign", path: path.string, errno: Errno(rawValue: result))
        }
        return UnsafeMutableRawBufferPointer(start: memory, count: bytes)
    }

    /// Fills `buffer` with bytes from `seed`: data that no device can
    /// compress or deduplicate into less work, as zeros would let it.
    static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer, seed: UInt64) {
        var generator = SeededGenerator(seed: seed ^ 0xB10C)
        for index in 0..<buffer.count / 8 {
            buffer.storeBytes(of: generator.next(), toByteOffset: index * 8, as: UInt64.self)
        }
    }

    /// fallocate(2)s the working set (a file system that cannot, EOPNOTSUPP,
    /// gets ftruncate(2) and holes), then writes it whole in 1 MiB chunks
    /// and fdatasync(2)s it, so the run starts with data on the device and
    /// no writeback of the layout still going. Writes-only loads are laid
    /// out too, as fio does: random writes into fallocated (unwritten)
    /// extents split them into tens of thousands of extents, each write
    /// then also changes the extent tree, and deleting the file afterwards
    /// took ext4 3-5 s for 256 MiB of 4 KiB writes (measured here), which
    /// a stop would have to wait for.
    static func layOut(_ fd: CInt, _ configuration: Configuration, path: FilePath) throws(HostError) {
        guard let size = off_t(exactly: configuration.workingSetBytes) else {
            throw .system(call: "fallocate", path: path.string, errno: .fileTooLarge)
        }
        while stressd_fallocate(fd, size) != 0 {
            let error = Errno(rawValue: Glibc.errno)
            if error == .interrupted { continue }
            guard error == .notSupported else { throw .system(call: "fallocate", path: path.string, errno: error) }
            guard ftruncate(fd, size) == 0 else { throw .system(call: "ftruncate", path: path.string, errno: Errno(rawValue: Glibc.errno)) }
            break
        }
        let chunk = try alignedBuffer(bytes: max(layoutChunkBytes, configuration.blockBytes), path: path)
        defer { free(chunk.baseAddress) }
        fillRandom(chunk, seed: configuration.seed)
        var offset: off_t = 0
        while offset < size {
            let length = Int(min(off_t(chunk.count), size - offset))
            try transfer(fd, isRead: false, chunk.baseAddress, length, at: offset, path: path)
            offset += off_t(length)
        }
        guard fdatasync(fd) == 0 else { throw .system(call: "fdatasync", path: path.string, errno: Errno(rawValue: Glibc.errno)) }
    }

    /// One pread(2) or pwrite(2) of exactly `length` bytes, retried on EINTR.
    /// A short transfer is EIO: on a file this load laid out it means the
    /// file shrank under it or the device gave up part of the request.
    @inline(__always)
    static func transfer(
        _ fd: CInt, isRead: Bool, _ memory: UnsafeMutableRawPointer?, _ length: Int, at offset: off_t, path: FilePath
    ) throws(HostError) {
        while true {
            let count = isRead ? pread(fd, memory, length, offset) : pwrite(fd, memory, length, offset)
            if count == length { return }
            let call = isRead ? "pread" : "pwrite"
            guard count < 0 else { throw .system(call: call + " (short)", path: path.string, errno: .ioError) }
            let error = Errno(rawValue: Glibc.errno)
            if error != .interrupted { throw .system(call: call, path: path.string, errno: error) }
        }
    }
}
