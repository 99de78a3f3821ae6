import Foundation
import Glibc
import SystemPackage

/// A small file system a test mounts on a fresh directory under /tmp and
/// removes again in `deinit` (unmount, directory, image file), even when the
/// test fails: something to fill up, make read-only or strip of fallocate
/// without touching the host's disks.
public final class DiskTestMount {
    public enum Kind {
        /// tmpfs of this many MiB.
        case tmpfs(mebibytes: Int, readOnly: Bool = false)
        /// ramfs: no size limit and no fallocate(2) (EOPNOTSUPP).
        case ramfs
        /// ext4 on a loop device over an image file of this many MiB in /tmp.
        case ext4Loop(mebibytes: Int)
    }

    public let path: FilePath
    private let image: FilePath?

    public init(_ kind: Kind) throws {
        var template = Array("/tmp/stressd-disktest-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Errno(rawValue: errno) }
        path = FilePath(String(cString: made))
        switch kind {
        case .tmpfs(let mebibytes, let readOnly):
            image = nil
            try Self.mount(path, "tmpfs", readOnly ? UInt(MS_RDONLY) : 0, "size=\(mebibytes)m")
        case .ramfs:
            image = nil
            try Self.mount(path, "ramfs", 0, "")
        case .ext4Loop(let mebibytes):
            let image = FilePath(path.string + ".img")
            self.image = image
            do {
                let fd = open(image.string, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw Errno(rawValue: errno) }
                let sized = ftruncate(fd, off_t(mebibytes) << 20) == 0
                close(fd)
                guard sized else { throw Errno.noSpace }
                try Self.run("/usr/sbin/mkfs.ext4", ["-q", "-F", "-m", "0", image.string])
                // mount(8) sets the loop device up with autoclear: unmounting frees it.
                try Self.run("/bin/mount", ["-o", "loop", image.string, path.string])
            } catch {
                unlink(image.string)
                rmdir(path.string)
                throw error
            }
        }
    }

    deinit {
        if umount(path.string) != 0 { umount2(path.string, Int32(MNT_DETACH)) }
        rmdir(path.string)
        if let image { unlink(image.string) }
    }

    /// Whether this sandbox lets tests mount file systems (root, tmpfs allowed).
    public static let isAvailable: Bool = getuid() == 0 && (try? DiskTestMount(.tmpfs(mebibytes: 1))) != nil
    /// Whether loop-mounted ext4 images work here too.
    public static let ext4LoopIsAvailable: Bool = isAvailable && (try? DiskTestMount(.ext4Loop(mebibytes: 8))) != nil

    private static func mount(_ path: FilePath, _ type: String, _ flags: UInt, _ options: String) throws {
        guard Glibc.mount(type, path.string, type, flags, options) == 0 else {
            let error = Errno(rawValue: errno)
            rmdir(path.string)
            throw error
        }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Errno.ioError }
    }
}
