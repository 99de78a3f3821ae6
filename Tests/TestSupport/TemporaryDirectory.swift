import Foundation
import Glibc
import SystemPackage

/// A fresh directory under /tmp, removed with everything in it when the
/// test lets go of it: the one place tests put the files they make.
public final class TemporaryDirectory: Sendable {
    public let path: FilePath

    public init() throws {
        var template = Array("/tmp/stressd-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Errno(rawValue: errno) }
        path = FilePath(String(cString: made))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path.string)
    }
}
