import Foundation
import Glibc
import SystemPackage

/// A small tmpfs this test mounts and unmounts itself: a file system it
/// owns, to fill up or to make read-only, without touching the host's disks.
final class TmpfsMount {
    let path: FilePath

    init(sizeMebibytes: Int, readOnly: Bool = false) throws {
        var template = Array("/tmp/stressd-tmpfs-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Errno(rawValue: errno) }
        path = FilePath(String(cString: made))
        let options = "size=\(sizeMebibytes)m" + (readOnly ? ",ro" : "")
        guard mount("tmpfs", path.string, "tmpfs", 0, options) == 0 else {
            let error = Errno(rawValue: errno)
            rmdir(path.string)
            throw error
        }
    }

    deinit {
        umount(path.string)
        rmdir(path.string)
    }

    /// Whether this sandbox lets tests mount a tmpfs.
    static let isAvailable: Bool = getuid() == 0 && (try? TmpfsMount(sizeMebibytes: 1)) != nil
}
