/// How an attack ended. Drives the exit code: `completed` and `stopped` are
/// success (0); `failed` is 1.
public enum AttackOutcome: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Ran until its deadline.
    case completed
    /// Ended early on request (Ctrl-C, SIGTERM, `stressd stop`).
    case stopped(reason: String)
    /// Could not do what was asked, e.g. a worker died on its own.
    case failed(reason: String)

    public var isSuccess: Bool {
        if case .failed = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .completed: return "completed"
        case .stopped(let reason): return "stopped (\(reason))"
        case .failed(let reason): return "failed: \(reason)"
        }
    }

    private enum CodingKeys: String, CodingKey { case status, reason }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let reason = try container.decodeIfPresent(String.self, forKey: .reason) ?? ""
        switch try container.decode(String.self, forKey: .status) {
        case "completed": self = .completed
        case "stopped": self = .stopped(reason: reason)
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
        case .failed(let reason):
            try container.encode("failed", forKey: .status)
            try container.encode(reason, forKey: .reason)
        }
    }
}
