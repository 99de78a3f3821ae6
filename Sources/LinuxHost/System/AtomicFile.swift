import Glibc
import SystemPackage

/// Replaces a file so that a crash at any instant leaves either the old or
/// the new content, never a torn one: write a temp file, fsync it, rename it
/// over the target, fsync the directory.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: FilePath, mode: FilePermissions = [.ownerReadWrite]) throws(HostError) {
        let temporary = FilePath(path.string + ".tmp-\(getpid())")
        do {
            let fd = try FileDescriptor.open(
                temporary, .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: mode)
            try fd.closeAfter {
                _ = try fd.writeAll(bytes)
                guard fsync(fd.rawValue) == 0 else { throw Errno(rawValue: Glibc.errno) }
            }
        } catch {
            unlink(temporary.string)
            throw .system(call: "write", path: temporary.string, errno: error as? Errno ?? .ioError)
        }
        guard rename(temporary.string, path.string) == 0 else {
            let error = Errno(rawValue: Glibc.errno)
            unlink(temporary.string)
            throw .system(call: "rename", path: path.string, errno: error)
        }
        try syncDirectory(of: path)
    }

    /// Removes a file and makes the removal durable. Missing is fine.
    public static func remove(_ path: FilePath) throws(HostError) {
        if unlink(path.string) != 0 && Glibc.errno != ENOENT {
            throw .system(call: "unlink", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        try syncDirectory(of: path)
    }

    private static func syncDirectory(of path: FilePath) throws(HostError) {
        let directory = path.removingLastComponent()
        let fd = open(directory.string, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .system(call: "open", path: directory.string, errno: Errno(rawValue: Glibc.errno))
        }
        defer { close(fd) }
        fsync(fd)
    }
}
