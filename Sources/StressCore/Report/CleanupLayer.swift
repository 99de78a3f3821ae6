/// Which of stressd's cleanup layers undid an attack, so a report says
/// whether the promise was kept by the supervisor itself or by a layer
/// behind it (and a supervisor that keeps dying shows up as such).
public enum CleanupLayer: String, Codable, Hashable, Sendable, CustomStringConvertible {
    /// The attack's own supervisor, at its end.
    case supervisor
    /// The attack's cleanup watchdog, after its supervisor died or hung.
    case watchdog
    /// The ledger replay that every stressd start (and `stressd serve`) runs.
    case replay
    /// `stressd cleanup` or `stressd stop` (also systemd's ExecStopPost).
    case command

    public var description: String {
        switch self {
        case .supervisor: return "its supervisor"
        case .watchdog: return "its cleanup watchdog"
        case .replay: return "the ledger replay at a stressd start"
        case .command: return "stressd cleanup or stop"
        }
    }
}
