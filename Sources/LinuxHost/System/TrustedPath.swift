import Glibc
import SystemPackage

/// Checks that a path root acts on could not have been planted, or be
/// swapped, by another local user: for the state directory (its ledger
/// tells replays what to kill and delete) and the folder a report is
/// written to. Failures are `untrusted`, saying what to fix.
public enum TrustedPath {
    /// `path` must be a directory, not a link, owned by this process's user
    /// and writable by no one else; every directory above it (links in them
    /// resolved) must be owned by root or this user and, if others may write
    /// it, sticky (as /tmp is), so no one else can rename what is inside.
    public static func requirePrivateDirectory(_ path: FilePath) throws(HostError) {
        let info = try status(path)
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .untrusted(path: path.string, reason: kind(info) + "; give a directory owned by uid \(geteuid()) (mode 0700)")
        }
        guard info.st_uid == geteuid() else {
            throw .untrusted(path: path.string, reason: "is owned by uid \(info.st_uid), not by uid \(geteuid()) that runs stressd; another user could have planted it: `chown \(geteuid()) \(path)` if it is yours, else remove it")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw .untrusted(path: path.string, reason: "is writable by other users (mode \(octal(info.st_mode))); `chmod go-w \(path)`")
        }
        try requireTrustedDirectories(through: parent(of: path), for: path)
    }

    /// Before creating the state directory (and any missing parents): the
    /// nearest part of `path` that exists must be a directory no other user
    /// could swap (see `requireTrustedDirectories`), so creating follows no
    /// link another user planted. An existing `path` is checked in full.
    public static func requireSafeToCreate(_ path: FilePath) throws(HostError) {
        var info = stat()
        if lstat(path.string, &info) == 0 {
            try requirePrivateDirectory(path)
            return
        }
        var existing = parent(of: path)
        while lstat(existing.string, &info) != 0, existing.lastComponent != nil {
            existing = parent(of: existing)
        }
        try requireTrustedDirectories(through: existing, for: path)
    }

    /// A file root is asked to write: if something is there already it must
    /// be this user's own regular file (not a link another user planted),
    /// and the folder it is in, and every folder above, must be one no other
    /// user could swap or rename names in (see `requireTrustedDirectories`).
    public static func requireWritableByOwnerOnly(_ file: FilePath) throws(HostError) {
        var existing = stat()
        if lstat(file.string, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFREG else {
                throw .untrusted(path: file.string, reason: "\(existing.st_mode & S_IFMT == S_IFLNK ? "is a symbolic link" : "is not a regular file"); remove it or choose another name")
            }
            guard existing.st_uid == geteuid() else {
                throw .untrusted(path: file.string, reason: "belongs to uid \(existing.st_uid), not to uid \(geteuid()) that runs stressd; choose another name")
            }
        }
        try requireTrustedDirectories(through: parent(of: file), for: file)
    }

    /// `directory` and every directory above it must be owned by root or
    /// this user and, if others may write one, sticky (as /tmp is): then no
    /// other user can replace or rename what `path` leads through. The path
    /// is walked as the kernel would resolve it, one name at a time: each
    /// link on the way must be root's or this user's too (a link in another
    /// user's folder, or theirs in /tmp, could be turned anywhere between
    /// this check and the open), and the walk goes on from where it points.
    private static func requireTrustedDirectories(through directory: FilePath, for path: FilePath) throws(HostError) {
        var current = FilePath("/")
        try requireTrusted(directory: current, for: path)
        var pending = try absolute(directory).components.map(\.string)
        var linksFollowed = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name == "." { continue }
            if name == ".." {
                current = parent(of: current)  // `current` holds no link, so `..` is its parent
                continue
            }
            let next = current.appending(name)
            let info = try status(next)
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                guard info.st_uid == 0 || info.st_uid == geteuid() else {
                    throw .untrusted(path: next.string, reason: "is a symbolic link owned by uid \(info.st_uid), who could point it elsewhere and so swap \(path); give a path without it")
                }
                linksFollowed += 1
                guard linksFollowed <= 40, let target = linkTarget(next) else {
                    throw .system(call: "readlink", path: next.string, errno: linksFollowed > 40 ? .tooManySymbolicLinkLevels : Errno(rawValue: Glibc.errno))
                }
                if target.isAbsolute { current = "/" }
                pending = target.components.map(\.string) + pending
            case S_IFDIR:
                try requireTrusted(directory: next, for: path)
                current = next
            default:
                throw .system(call: "open", path: next.string, errno: .notDirectory)
            }
        }
    }

    private static func requireTrusted(directory: FilePath, for path: FilePath) throws(HostError) {
        let info = try status(directory)
        guard info.st_uid == 0 || info.st_uid == geteuid() else {
            throw .untrusted(path: directory.string, reason: "is owned by uid \(info.st_uid), who could swap \(path) for something else; use a place under directories owned by root (or you)")
        }
        guard info.st_mode & 0o022 == 0 || info.st_mode & S_ISVTX != 0 else {
            throw .untrusted(path: directory.string, reason: "is writable by other users without the sticky bit (mode \(octal(info.st_mode))), so one of them could swap \(path); use a place only root (or you) can write")
        }
    }

    /// `path` from the root: a relative one is taken from the working
    /// directory, whose name getcwd(3) gives without links.
    private static func absolute(_ path: FilePath) throws(HostError) -> FilePath {
        if path.isAbsolute { return path }
        guard let working = getcwd(nil, 0) else {
            throw .system(call: "getcwd", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        defer { free(working) }
        return FilePath(String(cString: working)).pushing(path)
    }

    private static func linkTarget(_ link: FilePath) -> FilePath? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(link.string, &buffer, Int(PATH_MAX))
        guard length > 0 else { return nil }
        return FilePath(String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The directory `path` is in; `.` for a bare name.
    private static func parent(of path: FilePath) -> FilePath {
        let parent = path.removingLastComponent()
        return parent.isEmpty ? "." : parent
    }

    private static func status(_ path: FilePath) throws(HostError) -> stat {
        var info = stat()
        guard lstat(path.string, &info) == 0 else {
            throw .system(call: "stat", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        return info
    }

    private static func kind(_ info: stat) -> String {
        info.st_mode & S_IFMT == S_IFLNK ? "is a symbolic link" : "is not a directory"
    }

    private static func octal(_ mode: mode_t) -> String {
        "0" + String(mode & 0o7777, radix: 8)
    }
}
