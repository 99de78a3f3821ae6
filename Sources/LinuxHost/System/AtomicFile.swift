import Glibc
import SystemPackage

/// Replaces a file so that a crash at any instant leaves either the old or
/// the new content, never a torn one: write a temp file, fsync it, rename it
/// over the target, fsync the directory. Everything happens through one
/// descriptor of the directory, with a temp file created fresh (O_EXCL,
/// O_NOFOLLOW, an unguessable name): a link another user planted at the
/// target or at a temp name is replaced or refused, never written through.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: FilePath, mode: mode_t = 0o600) throws(HostError) {
        guard let name = path.lastComponent?.string else {
            throw .system(call: "write", path: path.string, errno: .invalidArgument)
        }
        let parent = path.removingLastComponent()
        let directory = try OpenDirectory.open(parent.isEmpty ? "." : parent, followingLastLink: true)
        let (temporary, fd) = try createTemporary(in: directory, for: name, mode: mode)
        do {
            let file = FileDescriptor(rawValue: fd)
            try file.closeAfter {
                _ = try file.writeAll(bytes)
                guard fsync(fd) == 0 else { throw Errno(rawValue: Glibc.errno) }
            }
        } catch {
            try? directory.remove(temporary)
            throw .system(call: "write", path: path.string, errno: error as? Errno ?? .ioError)
        }
        do {
            try directory.rename(temporary, to: name)
        } catch {
            try? directory.remove(temporary)
            throw error
        }
        try directory.sync()
    }

    /// Removes a file and makes the removal durable. Missing is fine.
    public static func remove(_ path: FilePath) throws(HostError) {
        guard let name = path.lastComponent?.string else {
            throw .system(call: "unlink", path: path.string, errno: .invalidArgument)
        }
        let parent = path.removingLastComponent()
        let directory = try OpenDirectory.open(parent.isEmpty ? "." : parent, followingLastLink: true)
        try directory.remove(name)
        try directory.sync()
    }

    /// A new file `.NAME.tmp-RANDOM` no one else can have made first.
    private static func createTemporary(in directory: OpenDirectory, for name: String, mode: mode_t) throws(HostError) -> (String, CInt) {
        var attempt = 0
        while true {
            let temporary = ".\(name).tmp-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            do {
                return (temporary, try directory.createFile(temporary, mode: mode))
            } catch let error where error.errno == .fileExists && attempt < 8 {
                attempt += 1
            }
        }
    }
}
