import Glibc
import SystemPackage

/// The folder a disk attack fills, `PATH/.stressd-fill-ID/`, holding only
/// files named `fill-NNNN` that stressd wrote. Removing it deletes those and
/// nothing else, so a fill can never take a user's file with it.
///
/// - Important: not thread-safe; `fill` blocks (see there).
public final class FillDirectory {
    /// The default largest fill file: progress stays visible in `ls`, and no
    /// single file is absurdly large.
    public static let defaultFileBytes: UInt64 = 1 << 30
    static let filePrefix = "fill-"

    public let path: FilePath
    /// The largest single fill file.
    public let fileBytes: UInt64
    /// Space taken by every `fill` call on this handle so far.
    public internal(set) var filledBytes: UInt64 = 0
    /// The number of the next `fill-NNNN` file.
    var nextFile = 0

    /// A handle on an existing (or already removed) fill folder, for cleanup.
    public init(path: FilePath, fileBytes: UInt64 = FillDirectory.defaultFileBytes) {
        self.path = path
        self.fileBytes = max(fileBytes, 1)
    }

    /// Creates `parent/name` (mode 0700) and returns a handle on it. Errors
    /// keep mkdir's errno, so a caller can tell a missing parent (ENOENT), a
    /// parent that is a file (ENOTDIR), a read-only file system (EROFS), no
    /// permission (EACCES) and a folder that is already there (EEXIST) apart.
    /// A `name` that is not one plain path component is EINVAL.
    public static func create(
        in parent: FilePath, name: String, fileBytes: UInt64 = FillDirectory.defaultFileBytes
    ) throws(HostError) -> FillDirectory {
        let path = parent.appending(name)
        guard let component = FilePath.Component(name), component.kind == .regular, !name.contains("\0") else {
            throw .system(call: "mkdir", path: path.string, errno: .invalidArgument)
        }
        guard mkdir(path.string, 0o700) == 0 else {
            throw .system(call: "mkdir", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        return FillDirectory(path: path, fileBytes: fileBytes)
    }

    /// Whether anything is at `path`: after `remove()`, false means done.
    public var exists: Bool { Directory.exists(path) }

    /// Deletes the `fill-NNNN` files and then the folder. Idempotent: a
    /// missing folder is already removed. Anything else inside (a file
    /// another process put there, a directory named like a fill file) is
    /// left alone, and the error says so: rmdir's ENOTEMPTY, or unlink's
    /// EISDIR. One file that cannot go does not keep the others: every fill
    /// file that can be deleted is, before the first failure is thrown.
    /// - Important: destroys the fill files.
    public func remove() throws(HostError) {
        let names: [String]
        do {
            names = try Directory.entries(path)
        } catch let error where error.errno == .noSuchFileOrDirectory {
            return
        }
        var firstFailure: HostError?
        for name in names where Self.isFillFile(name) {
            let file = path.appending(name)
            if unlink(file.string) != 0 && Glibc.errno != ENOENT && firstFailure == nil {
                firstFailure = .system(call: "unlink", path: file.string, errno: Errno(rawValue: Glibc.errno))
            }
        }
        if let firstFailure { throw firstFailure }
        if rmdir(path.string) != 0 && Glibc.errno != ENOENT {
            throw .system(call: "rmdir", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
    }

    /// `fill-` and one or more ASCII digits: the only names `remove` deletes.
    static func isFillFile(_ name: String) -> Bool {
        guard name.hasPrefix(filePrefix) else { return false }
        let number = name.utf8.dropFirst(filePrefix.utf8.count)
        return !number.isEmpty && number.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `fill-0000`, `fill-0001`, …, `fill-10000`.
    static func fileName(_ number: Int) -> String {
        let digits = String(number)
        return filePrefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
