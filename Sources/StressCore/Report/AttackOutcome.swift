/// How an attack ended. Drives the exit code: `completed` and `stopped` are
/// success (0); the rest are 1.
public enum AttackOutcome: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Ran until its deadline.
    case completed
    /// Ended early on request (Ctrl-C, SIGTERM, `stressd stop`).
    case stopped(reason: String)
    /// A guard saw the host cross a safety floor and stopped the attack.
    case guardTripped(guard: String, reason: String)
    /// The kernel's OOM killer ended the hog (and `--respawn` was not asked for).
    case oomKilled(reason: String)
    /// Could not do what was asked, e.g. a worker died on its own.
    case failed(reason: String)

    public var isSuccess: Bool {
        switch self {
        case .completed, .stopped: return true
        case .guardTripped, .oomKilled, .failed: return false
        }
    }

    public var description: String {
        switch self {
        case .completed: return "completed"
        case .stopped(let reason): return "stopped (\(reason))"
        case .guardTripped(let name, let reason): return "stopped by the \(name) guard: \(reason)"
        case .oomKilled(let reason): return "oom-killed: \(reason)"
        case .failed(let reason): return "failed: \(reason)"
        }
    }

    private enum CodingKeys: String, CodingKey { case status, reason, `guard` }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let reason = try container.decodeIfPresent(String.self, forKey: .reason) ?? ""
        switch try container.decode(String.self, forKey: .status) {
        case "completed": self = .completed
        case "stopped": self = .stopped(reason: reason)
        case "guard-tripped":
            self = .guardTripped(guard: try container.decodeIfPresent(String.self, forKey: .guard) ?? "", reason: reason)
        case "oom-killed": self = .oomKilled(reason: reason)
        default: self = .failed(reason: reason)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .completed:
            try container.encode("completed", forKey: .status)
        case .stopped(let reason):
            try container.encode("stopped", forKey: .status)
            try container.encode(reason, forKey: .reason)
        case .guardTripped(let name, let reason):
            try container.encode("guard-tripped", forKey: .status)
            try container.encode(name, forKey: .guard)
            try container.encode(reason, forKey: .reason)
        case .oomKilled(let reason):
            try container.encode("oom-killed", forKey: .status)
            try container.encode(reason, forKey: .reason)
        case .failed(let reason):
            try container.encode("failed", forKey: .status)
            try container.encode(reason, forKey: .reason)
        }
    }
}
