/// Why a network exchange had no answer, in words a person can act on.
public enum NetworkFailure: Error, Sendable, CustomStringConvertible {
    /// No connection ("Connection refused").
    case unreachable(String)
    /// Nothing, or not all of the answer, within the exchange's time limit.
    case timedOut(Duration)
    /// An answer, but not a whole or acceptable one.
    case badResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let reason), .badResponse(let reason): return reason
        case .timedOut(let limit): return "no answer within \(limit.milliseconds) ms"
        }
    }
}
