import LinuxHost
import StressCore
import SystemPackage

/// Checks a disk attack's `--path` before anything is created, turning what
/// the host says into input errors a user can act on (exit 2).
public enum DiskPathCheck {
    public static func capacity(of path: String) throws(InputError) -> DiskCapacity {
        let filePath = FilePath(path)
        guard Directory.exists(filePath) else {
            throw .rejected(field: "path", reason: "\(path) does not exist; give an existing directory on the file system to fill")
        }
        guard !Directory.isSymbolicLink(filePath) else {
            throw .rejected(field: "path", reason: "\(path) is a symbolic link; give the directory it points to, so whoever controls the link cannot redirect the fill")
        }
        guard Directory.isDirectory(filePath) else {
            throw .rejected(field: "path", reason: "\(path) is not a directory; give the directory to fill (stressd writes into a folder inside it)")
        }
        do {
            return try DiskCapacity(path: filePath)
        } catch {
            throw .rejected(field: "path", reason: "cannot examine \(path): \(error)")
        }
    }
}
