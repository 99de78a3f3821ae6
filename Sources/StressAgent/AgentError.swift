import LinuxHost
import StressCore

/// Failures of the agent layer, each saying what to do about it.
public enum AgentError: Error, Sendable, CustomStringConvertible {
    case stateDirectory(path: String, reason: String)
    case ledger(reason: String)
    /// The host refused something the attack needs (spawn, pipe, cgroup).
    case host(HostError)
    case unknownAttack(AttackID)
    case unknownReport(AttackID)
    /// The request collides with what runs (HTTP 409).
    case conflict(String)
    /// A process attack's selector matched nothing (exit 1).
    case noMatch(String)
    /// Input that is only found wrong by looking at the host (exit 2).
    case input(InputError)
    /// An abort condition fails before the attack starts: the system is not
    /// in its steady state, so nothing is attacked (exit 2, HTTP 422).
    case notSteady(condition: String, detail: String)
    /// The service is stopping: it starts nothing more (HTTP 503).
    case shuttingDown

    public var description: String {
        switch self {
        case .stateDirectory(let path, let reason):
            return "cannot use state directory \(path): \(reason); pick another with --state-dir or STRESSD_STATE_DIR"
        case .ledger(let reason):
            return "ledger: \(reason)"
        case .host(let error):
            return error.description
        case .unknownAttack(let id):
            return "no attack \(id) in the ledger; `stressd status` lists them"
        case .unknownReport(let id):
            return "no report for \(id) in this state directory (never saved, or deleted by the retention, [reports] keep and max-age); attacks print theirs when they end, and `stressd status` lists running ones"
        case .conflict(let message):
            return message
        case .noMatch(let message):
            return message
        case .input(let error):
            return error.description
        case .notSteady(let condition, let detail):
            return "not started: the system is not in its steady state, so an experiment on it would prove nothing: "
                + "the condition '\(condition)' fails now (\(detail)); fix the service or the condition, then try again"
        case .shuttingDown:
            return "not started: this agent is shutting down; start the attack again once it is back, or on another agent"
        }
    }
}
