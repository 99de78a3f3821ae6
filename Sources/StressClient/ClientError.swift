import StressCore

/// Why a request to a remote agent failed, in words that say what to do.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// No answer: connection refused, timed out, TLS failed.
    case unreachable(endpoint: String, reason: String)
    /// The agent answered with a problem+json error (4xx or 5xx).
    case problem(status: Int, title: String, detail: String, field: String?)
    /// The agent answered something stressd cannot read.
    case badResponse(endpoint: String, reason: String)

    /// A refusal of the request itself (bad input, bad token, conflict,
    /// unknown id): nothing was started, like a local usage error. A
    /// selector that matched nothing is a failed attack, as locally.
    public var isRefusal: Bool {
        if case .problem(let status, let title, _, _) = self { return (400..<500).contains(status) && title != ProblemTitle.noTarget }
        return false
    }

    public var description: String {
        switch self {
        case .unreachable(let endpoint, let reason):
            return "cannot reach the agent at \(endpoint): \(reason); is `stressd serve` running there?"
        case .problem(401, _, let detail, _):
            return "the agent refused the token: \(detail); pass the agent's token with --token-file"
        case .problem(let status, let title, let detail, let field):
            return "the agent answered \(status) \(title): \(detail)" + (field.map { " (field: \($0))" } ?? "")
        case .badResponse(let endpoint, let reason):
            return "unexpected answer from \(endpoint): \(reason)"
        }
    }
}
