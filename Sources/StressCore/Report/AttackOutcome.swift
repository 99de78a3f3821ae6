/// How an attack ended. Drives the exit code: `completed` and `stopped` are
/// success (0); the rest are 1.
public enum AttackOutcome: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Ran until its deadline.
    case completed
    /// Ended early on request (Ctrl-C, SIGTERM, `stressd stop`).
    case stopped(reason: String)
    /// A guard saw the host cross a safety floor and stopped the attack.
    case guardTripped(guard: String, reason: String)
    /// An abort condition about the service under test failed (see
    /// `AbortCondition`): the hypothesis broke, so the attack stopped.
    case aborted(condition: String, reason: String)
    /// The kernel's OOM killer ended the hog (and `--respawn` was not asked for).
    case oomKilled(reason: String)
    /// Could not do what was asked, e.g. a worker died on its own.
    case failed(reason: String)

    public var isSuccess: Bool {
        switch self {
        case .completed, .stopped: return true
        case .guardTripped, .aborted, .oomKilled, .failed: return false
        }
    }

    /// The outcome's one-word name, as reports, metrics and logs spell it.
    public var status: String {
        switch self {
        case .completed: return "completed"
        case .stopped: return "stopped"
        case .guardTripped: return "guard-tripped"
        case .aborted: return "aborted"
        case .oomKilled: return "oom-killed"
        case .failed: return "failed"
        }
    }

    /// Why it ended, for every outcome but `completed`.
    public var reason: String? {
        switch self {
        case .completed: return nil
        case .stopped(let reason), .guardTripped(_, let reason), .aborted(_, let reason), .oomKilled(let reason), .failed(let reason):
            return reason
        }
    }

    public var description: String {
        switch self {
        case .completed: return "completed"
        case .stopped(let reason): return "stopped (\(reason))"
        case .guardTripped(let name, let reason): return "stopped by the \(name) guard: \(reason)"
        case .aborted(let condition, let reason): return "aborted: the condition '\(condition)' failed: \(reason)"
        case .oomKilled(let reason): return "oom-killed: \(reason)"
        case .failed(let reason): return "failed: \(reason)"
        }
    }

    private enum CodingKeys: String, CodingKey { case status, reason, `guard`, condition }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let reason = try container.decodeIfPresent(String.self, forKey: .reason) ?? ""
        switch try container.decode(String.self, forKey: .status) {
        case "completed": self = .completed
        case "stopped": self = .stopped(reason: reason)
        case "guard-tripped":
            self = .guardTripped(guard: try container.decodeIfPresent(String.self, forKey: .guard) ?? "", reason: reason)
        case "aborted":
            self = .aborted(condition: try container.decodeIfPresent(String.self, forKey: .condition) ?? "", reason: reason)
        case "oom-killed": self = .oomKilled(reason: reason)
        default: self = .failed(reason: reason)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        switch self {
        case .guardTripped(let name, _): try container.encode(name, forKey: .guard)
        case .aborted(let condition, _): try container.encode(condition, forKey: .condition)
        case .completed, .stopped, .oomKilled, .failed: break
        }
        try container.encodeIfPresent(reason, forKey: .reason)
    }
}
