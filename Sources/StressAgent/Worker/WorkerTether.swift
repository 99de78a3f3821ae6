import FoundationEssentials
import Glibc
import LinuxHost

/// What every worker does around its work: tie its life to the supervisor's,
/// wait until the supervisor has recorded it, and then follow the control
/// pipe until the supervisor closes it.
enum WorkerTether {
    /// Why a worker must not start.
    enum Refusal: Error {
        /// The supervisor was already gone when PDEATHSIG was armed (exit 3).
        case orphaned
        /// The supervisor never said `go` before the deadline, or went away (exit 0).
        case notStarted

        var exitStatus: Int32 {
            switch self {
            case .orphaned: return 3
            case .notStarted: return 0
            }
        }
    }

    /// Arms SIGKILL-on-parent-death, waits for `go` (the supervisor sends it
    /// once this worker's identity is in the ledger), then hands every later
    /// control line to `handle` on a thread of its own; end-of-file (the
    /// supervisor is gone, or wants this worker gone) ends the process.
    static func begin(parent: Int32, deadline: UInt64, handle: @escaping @Sendable (String) -> Void) throws(Refusal) {
        follow(try waitForGo(parent: parent, deadline: deadline), handle)
    }

    private static func waitForGo(parent: Int32, deadline: UInt64) throws(Refusal) -> ControlReader {
        do {
            try ParentDeathSignal.arm(expectedParent: parent)
        } catch {
            throw .orphaned
        }
        var reader = ControlReader()
        guard reader.nextLine(deadline: deadline) == "go" else { throw .notStarted }
        return reader
    }

    private static func follow(_ reader: ControlReader, _ handle: @escaping @Sendable (String) -> Void) {
        DetachedThread.start(name: "stressd-tether") {
            var reader = reader
            while let line = reader.nextLine() {
                handle(line)
            }
            exit(0)
        }
    }
}
