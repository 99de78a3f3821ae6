import Glibc
import SystemPackage

/// Directory operations swift-system does not wrap.
public enum Directory {
    /// Names in a directory, without `.` and `..`.
    public static func entries(_ path: FilePath) throws(HostError) -> [String] {
        try OpenDirectory.open(path, followingLastLink: true).entries()
    }

    public static func exists(_ path: FilePath) -> Bool {
        var info = stat()
        return stat(path.string, &info) == 0
    }

    /// Whether the path's last component is itself a link (lstat(2)).
    public static func isSymbolicLink(_ path: FilePath) -> Bool {
        var info = stat()
        return lstat(path.string, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    public static func isDirectory(_ path: FilePath) -> Bool {
        var info = stat()
        return stat(path.string, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a directory and any missing parents with mode 0755.
    public static func create(_ path: FilePath, mode: mode_t = 0o755) throws(HostError) {
        var partial = FilePath(root: path.root)
        for component in path.components {
            partial.append(component)
            if mkdir(partial.string, mode) != 0 && Glibc.errno != EEXIST {
                throw .system(call: "mkdir", path: partial.string, errno: Errno(rawValue: Glibc.errno))
            }
        }
    }

    /// Removes an empty directory (and cgroup directories, which only rmdir removes).
    public static func remove(_ path: FilePath) throws(HostError) {
        if rmdir(path.string) != 0 {
            throw .system(call: "rmdir", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
    }
}
