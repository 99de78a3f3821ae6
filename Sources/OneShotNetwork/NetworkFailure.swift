/// Why a network exchange had no answer, in words a person can act on.
public enum NetworkFailure: Error, Sendable, CustomStringConvertible {
    /// No connection, or no answer in time ("Connection refused").
    case unreachable(String)
    /// An answer, but not a whole or acceptable one.
    case badResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let reason), .badResponse(let reason): return reason
        }
    }
}
