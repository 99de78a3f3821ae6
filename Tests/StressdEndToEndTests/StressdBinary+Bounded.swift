import Foundation
import Glibc

extension StressdBinary {
    /// Runs stressd for at most `seconds`: a command that should refuse to
    /// start but serves instead is stopped (SIGTERM, then SIGKILL) and
    /// reported as nil, so a regression fails the test instead of hanging it.
    func runBounded(_ arguments: [String], local: Bool = true, seconds: Double = 5) throws -> Result? {
        let (process, out, err) = try start(arguments, local: local)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard process.isRunning else { return Self.finish(process, out, err) }
        kill(process.processIdentifier, SIGTERM)
        let grace = Date().addingTimeInterval(10)
        while process.isRunning, Date() < grace { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        _ = Self.finish(process, out, err)
        return nil
    }
}
