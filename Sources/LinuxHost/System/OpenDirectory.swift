import Glibc
import StressCore
import SystemPackage

/// A directory held open by descriptor. Everything done through it (make a
/// folder, create or delete a file, read free space) happens in *this*
/// directory, whatever another user renames or links at its path later:
/// root's file operations cannot be redirected once it is open.
///
/// - Important: closes its descriptor when released; not thread-safe.
public final class OpenDirectory {
    public let descriptor: CInt
    /// The path it was opened by, for messages; it may no longer lead here.
    public let path: FilePath

    private init(descriptor: CInt, path: FilePath) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Takes ownership of a directory descriptor this process was handed at
    /// birth (a worker's fd 3, which its supervisor opened and checked):
    /// the worker never walks a path another user could change.
    public static func adopt(descriptor: CInt, path: FilePath) -> OpenDirectory {
        OpenDirectory(descriptor: descriptor, path: path)
    }

    /// Opens a directory an operator named. Links in the path's leading
    /// components are followed (they are the host's layout, such as
    /// /var/run); the last one must be the directory itself, not a link,
    /// unless `followingLastLink`.
    public static func open(_ path: FilePath, followingLastLink: Bool = false) throws(HostError) -> OpenDirectory {
        let fd = Glibc.open(path.string, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followingLastLink ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw .system(call: "open", path: path.string, errno: Errno(rawValue: Glibc.errno)) }
        return OpenDirectory(descriptor: fd, path: path)
    }

    /// Opens a directory an operator named, as `open` does, and names it by
    /// its absolute path with the links above it resolved: the path a record
    /// keeps for a replay from elsewhere (another working directory, `.` or
    /// `..` in it) to walk without following links.
    public static func openCanonical(_ path: FilePath) throws(HostError) -> OpenDirectory {
        var absolute = path
        if !absolute.isAbsolute {
            guard let cwd = getcwd(nil, 0) else {
                throw .system(call: "getcwd", path: nil, errno: Errno(rawValue: Glibc.errno))
            }
            absolute = FilePath(String(cString: cwd)).pushing(path)
            free(cwd)
        }
        absolute = absolute.lexicallyNormalized()
        guard let last = absolute.lastComponent else { return try open(absolute) }
        let parent = absolute.removingLastComponent()
        guard let resolved = realpath(parent.string, nil) else {
            throw .system(call: "realpath", path: parent.string, errno: Errno(rawValue: Glibc.errno))
        }
        defer { free(resolved) }
        return try open(FilePath(String(cString: resolved)).appending(last))
    }

    /// Opens an absolute path one component at a time, following no link at
    /// all (ELOOP or ENOTDIR where one is): for paths read back from a
    /// record, whose components another user may have replaced since.
    public static func openWithoutLinks(_ path: FilePath) throws(HostError) -> OpenDirectory {
        guard path.isAbsolute else { throw .system(call: "open", path: path.string, errno: .invalidArgument) }
        var current = try open(FilePath("/"))
        for component in path.components {
            guard component.kind == .regular else {
                throw .system(call: "open", path: path.string, errno: .invalidArgument)
            }
            current = try current.openDirectory(component.string)
        }
        return current
    }

    /// Opens `name` inside this directory, refusing a link.
    public func openDirectory(_ name: String) throws(HostError) -> OpenDirectory {
        let fd = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .system(call: "open", path: child(name), errno: Errno(rawValue: Glibc.errno)) }
        return OpenDirectory(descriptor: fd, path: path.appending(name))
    }

    /// mkdirat(2): the folder is made here even if the path was swapped.
    public func makeDirectory(_ name: String, mode: mode_t) throws(HostError) {
        guard mkdirat(descriptor, name, mode) == 0 else {
            throw .system(call: "mkdir", path: child(name), errno: Errno(rawValue: Glibc.errno))
        }
    }

    /// Creates a new file, never one that exists and never through a link.
    public func createFile(_ name: String, mode: mode_t = 0o600) throws(HostError) -> CInt {
        let fd = openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .system(call: "open", path: child(name), errno: Errno(rawValue: Glibc.errno)) }
        return fd
    }

    /// The identity of this directory.
    public func identity() throws(HostError) -> FileIdentity {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .system(call: "fstat", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        return FileIdentity(info)
    }

    /// What `name` here is, without following a link: nil if nothing is there.
    public func identity(of name: String) throws(HostError) -> FileIdentity? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if Glibc.errno == ENOENT { return nil }
            throw .system(call: "stat", path: child(name), errno: Errno(rawValue: Glibc.errno))
        }
        return FileIdentity(info)
    }

    /// When the regular file `name` here, owned by this process's user,
    /// was last written (seconds since the epoch); nil for anything else
    /// (absent, a link, a folder, another user's).
    public func modificationTime(ofOwnFile name: String) -> Int? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0,
              info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid()
        else { return nil }
        return Int(info.st_mtim.tv_sec)
    }

    /// The text of the file `name` here (a kernel file such as
    /// `cpu.pressure`), refusing a link, up to `limit` bytes.
    public func readText(_ name: String, limit: Int = 64 << 10) throws(HostError) -> String {
        let fd = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .system(call: "open", path: child(name), errno: Errno(rawValue: Glibc.errno)) }
        let file = FileDescriptor(rawValue: fd)
        defer { try? file.close() }
        return String(decoding: try TextFile.readBytes(from: file, path: path.appending(name), limit: limit), as: UTF8.self)
    }

    /// Names in this directory, without `.` and `..`.
    public func entries() throws(HostError) -> [String] {
        let copy = openat(descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard copy >= 0, let handle = fdopendir(copy) else {
            let error = Errno(rawValue: Glibc.errno)
            if copy >= 0 { close(copy) }
            throw .system(call: "opendir", path: path.string, errno: error)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// unlinkat(2) a file (or, with `directory`, an empty folder) here; a
    /// name that is already gone is not an error.
    public func remove(_ name: String, directory: Bool = false) throws(HostError) {
        if unlinkat(descriptor, name, directory ? AT_REMOVEDIR : 0) != 0 && Glibc.errno != ENOENT {
            throw .system(call: directory ? "rmdir" : "unlink", path: child(name), errno: Errno(rawValue: Glibc.errno))
        }
    }

    /// renameat(2) within this directory: replaces `to` (a link there is
    /// replaced, never followed).
    public func rename(_ from: String, to: String) throws(HostError) {
        guard renameat(descriptor, from, descriptor, to) == 0 else {
            throw .system(call: "rename", path: child(to), errno: Errno(rawValue: Glibc.errno))
        }
    }

    /// fsync(2) of the directory: makes creations, renames and removals in it durable.
    public func sync() throws(HostError) {
        guard fsync(descriptor) == 0 else {
            throw .system(call: "fsync", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
    }

    /// fstatvfs(3): the free space of the file system this directory is on.
    public func capacity() throws(HostError) -> DiskCapacity {
        var info = statvfs()
        guard fstatvfs(descriptor, &info) == 0 else {
            throw .system(call: "statvfs", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        return DiskCapacity(info)
    }

    private func child(_ name: String) -> String { path.appending(name).string }
}

extension FileIdentity {
    init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), owner: info.st_uid)
    }
}
