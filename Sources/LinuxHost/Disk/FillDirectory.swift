import Glibc
import StressCore
import SystemPackage

/// The folder a disk attack fills, `PATH/.stressd-fill-ID/`, holding only
/// files named `fill-NNNN` that stressd wrote. It works through descriptors
/// of the folder and of the directory it is in, held open from creation to
/// removal: a user who can write PATH may rename the folder or put a link
/// in its place, but every fill file still lands in, and is deleted from,
/// the folder stressd made, and nothing is ever done where a link points.
/// Removing it deletes fill files and nothing else, so a fill can never
/// take a user's file with it.
///
/// - Important: not thread-safe; `fill` blocks (see there).
public final class FillDirectory {
    /// The default largest fill file: progress stays visible in `ls`, and no
    /// single file is absurdly large.
    public static let defaultFileBytes: UInt64 = 1 << 30
    static let filePrefix = "fill-"

    /// Where the folder was made (it is only sure to be there while `isInPlace`).
    public let path: FilePath
    /// The largest single fill file.
    public let fileBytes: UInt64
    /// Space taken by every `fill` call on this handle so far.
    public internal(set) var filledBytes: UInt64 = 0
    /// The number of the next `fill-NNNN` file.
    var nextFile = 0
    let parent: OpenDirectory
    let folder: OpenDirectory
    let folderIdentity: FileIdentity
    /// The folder's own descriptor, for a worker to make its files in
    /// (handed to it at spawn): it never walks the path to get there.
    public var descriptor: CInt { folder.descriptor }
    private var isRemoved = false

    private init(parent: OpenDirectory, folder: OpenDirectory, fileBytes: UInt64) throws(HostError) {
        self.parent = parent
        self.folder = folder
        path = folder.path
        self.fileBytes = max(fileBytes, 1)
        folderIdentity = try folder.identity()
    }

    /// Makes `name` (mode 0700) in `parent` and returns a handle on it.
    /// Errors keep mkdir's errno, so a caller can tell a read-only file
    /// system (EROFS), no permission (EACCES) and a folder that is already
    /// there (EEXIST) apart. A `name` that is not one plain path component is
    /// EINVAL; a folder swapped for another user's between mkdir and open is
    /// `untrusted`.
    public static func create(
        in parent: OpenDirectory, name: String, fileBytes: UInt64 = FillDirectory.defaultFileBytes
    ) throws(HostError) -> FillDirectory {
        guard let component = FilePath.Component(name), component.kind == .regular, !name.contains("\0") else {
            throw .system(call: "mkdir", path: parent.path.appending(name).string, errno: .invalidArgument)
        }
        try parent.makeDirectory(name, mode: 0o700)
        let directory = try FillDirectory(parent: parent, folder: try parent.openDirectory(name), fileBytes: fileBytes)
        // Another of root's folders renamed in between (an earlier fill
        // folder left behind) would be root's too, but not empty.
        guard directory.folderIdentity.owner == geteuid(), try directory.folder.entries().isEmpty else {
            throw .untrusted(path: directory.path.string, reason: "is not the empty folder stressd just made (it was swapped between mkdir and open)")
        }
        return directory
    }

    /// The recorded folder, for undo after its attack's process is gone:
    /// reached through a parent walked without following links that is
    /// still the recorded directory, and only if it is a directory owned by
    /// the recorded owner (else `expectedOwner`). Nil when nothing is there.
    /// - Throws: `untrusted` for anything that is not the folder stressd
    ///   made (a link, a file, another owner, a replaced parent): it is left
    ///   alone, never followed.
    public static func reopen(_ record: FillFolderRecord, expectedOwner: uid_t) throws(HostError) -> FillDirectory? {
        let path = FilePath(record.path)
        guard let name = path.lastComponent?.string else {
            throw .untrusted(path: record.path, reason: "is not a folder path")
        }
        let parentPath = path.removingLastComponent()
        guard let parent = try openIfThere(
            { () throws(HostError) in try OpenDirectory.openWithoutLinks(parentPath) },
            refusing: .untrusted(path: parentPath.string, reason: "leads through a link or a file now, not the directory the fill was made in: not followed"))
        else { return nil }
        if let recorded = record.parent, try !parent.identity().isSameFile(as: recorded) {
            throw .untrusted(path: parentPath.string, reason: "is not the directory the fill was made in (it was replaced or moved since): left alone")
        }
        guard let folder = try openIfThere(
            { () throws(HostError) in try parent.openDirectory(name) },
            refusing: .untrusted(path: record.path, reason: "is not the folder stressd made (a link or a file is there now): left alone"))
        else { return nil }
        let directory = try FillDirectory(parent: parent, folder: folder, fileBytes: defaultFileBytes)
        let owner = record.owner ?? expectedOwner
        guard directory.folderIdentity.owner == owner else {
            throw .untrusted(path: record.path, reason: "is owned by uid \(directory.folderIdentity.owner), not by stressd (uid \(owner)): left alone")
        }
        return directory
    }

    /// A directory opened without following links: nil if nothing is there,
    /// `refusal` if a link or a file is.
    private static func openIfThere(
        _ open: () throws(HostError) -> OpenDirectory, refusing refusal: HostError
    ) throws(HostError) -> OpenDirectory? {
        do {
            return try open()
        } catch let error where error.errno == .noSuchFileOrDirectory {
            return nil
        } catch let error where error.errno == .tooManySymbolicLinkLevels || error.errno == .notDirectory {
            throw refusal
        }
    }

    /// Whether the folder is still at `path`, as made: not renamed away nor replaced.
    public var isInPlace: Bool {
        guard let name = path.lastComponent?.string, let found = try? parent.identity(of: name) else { return false }
        return found.isSameFile(as: folderIdentity)
    }

    /// Deletes the `fill-NNNN` files (through the folder's descriptor,
    /// wherever it was moved), then the folder if it is still where it was
    /// made. Anything else inside (a directory named like a fill file) is
    /// left alone, and the error says so: rmdir's ENOTEMPTY, or unlink's
    /// EISDIR. One file that cannot go does not keep the others: every fill
    /// file that can be deleted is, before the first failure is thrown. A
    /// folder moved away is `untrusted`: its files are gone, the empty
    /// folder stays where it was moved, and nothing at `path` is touched.
    /// Once removed, removing again does nothing.
    /// - Important: destroys the fill files.
    public func remove() throws(HostError) {
        guard !isRemoved else { return }
        var firstFailure: HostError?
        for name in try folder.entries() where Self.isFillFile(name) {
            do {
                try folder.remove(name)
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
        guard isInPlace, let name = path.lastComponent?.string else {
            throw .untrusted(
                path: path.string,
                reason: "was moved away by someone else while it was filled; its fill files were deleted, the empty folder stays where it was moved to")
        }
        try parent.remove(name, directory: true)
        isRemoved = true
    }

    /// `fill-` and one or more ASCII digits: the only names `remove` deletes.
    static func isFillFile(_ name: String) -> Bool {
        guard name.hasPrefix(filePrefix) else { return false }
        let number = name.utf8.dropFirst(filePrefix.utf8.count)
        return !number.isEmpty && number.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `fill-0000`, `fill-0001`, …, `fill-10000`.
    public static func fileName(_ number: Int) -> String {
        let digits = String(number)
        return filePrefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
