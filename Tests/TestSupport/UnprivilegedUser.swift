import Foundation
import Glibc

/// A uid and gid no account on the host has, for tests that play the local
/// attacker (issue 12): whatever such a user can make root do, anyone can.
/// Commands run as it through setpriv(1), with no supplementary groups.
public enum UnprivilegedUser {
    /// Chosen free of /etc/passwd and /etc/group on every host these tests
    /// run on; `isAvailable` checks it and setpriv.
    public static let uid: uid_t = 64_123
    public static let gid: gid_t = 64_123
    static let setpriv = "/usr/bin/setpriv"

    /// Tests that need it run as root, with setpriv, and with the uid free.
    public static var isAvailable: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv) && getpwuid(uid) == nil
    }

    /// `executable arguments` as the unprivileged user, for `Process` or a
    /// harness's `inside:` wrapper.
    public static func wrap(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        (setpriv, ["--reuid", String(uid), "--regid", String(gid), "--clear-groups", "--", executable] + arguments)
    }

    /// Runs a command as the user to its end: exit status and what it printed.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let (command, full) = wrap(executable, arguments)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = full
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Gives a path to the user, as a user would own their own directory.
    public static func chown(_ path: String) throws {
        guard Glibc.lchown(path, uid, gid) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM) }
    }
}
