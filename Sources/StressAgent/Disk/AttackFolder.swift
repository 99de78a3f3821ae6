import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// Where a fill or an I/O load writes: `--path`, opened once before
/// anything is recorded, and the attack's own folder in it
/// (`PATH/.stressd-fill-ID`), planned in the ledger record with the path's
/// identity before it is made. Renaming `--path` or planting a link at it
/// later changes neither where the folder is made nor where free space is
/// read.
struct AttackFolder {
    let parent: OpenDirectory
    private let parentIdentity: FileIdentity

    init(path: String) throws(AgentError) {
        do {
            parent = try OpenDirectory.openCanonical(FilePath(path))
            parentIdentity = try parent.identity()
        } catch {
            throw .host(error)
        }
    }

    /// Adds the folder to the session's record, before its first write.
    func plan(_ session: AttackSession) {
        let record = FillFolderRecord(
            path: parent.path.appending(FillFolderRecord.folderName(for: session.id)).string, parent: parentIdentity, owner: geteuid())
        session.plan { $0.fillDirectories.append(record) }
    }

    /// Makes the planned folder.
    func create(_ session: AttackSession) throws(AgentError) -> FillDirectory {
        do {
            return try FillDirectory.create(in: parent, name: FillFolderRecord.folderName(for: session.id))
        } catch {
            throw .host(error)
        }
    }
}
