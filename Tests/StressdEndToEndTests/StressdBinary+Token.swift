import Foundation
import Glibc

extension StressdBinary {
    /// Writes a token file as an operator should (mode 0600, owned by
    /// whoever runs the test) in the state directory, and returns its path:
    /// `serve` needs one on every listener, and refuses a file others can read.
    func writeToken(_ token: String, name: String = "token") throws -> String {
        let path = stateDirectory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw POSIXError(.EIO)
        }
        return path
    }
}
