/// Why a network exchange had no answer, in words a person can act on.
public enum NetworkFailure: Error, Sendable, CustomStringConvertible {
    /// No connection ("Connection refused").
    case unreachable(String)
    /// Nothing, or not all of the answer, within the exchange's time limit.
    case timedOut(Duration)
    /// An answer, but not an acceptable one.
    case badResponse(String)
    /// Connected, then closed or reset before a whole answer came: the
    /// server may not have read the request at all (an agent at its
    /// connection limit closes the one idle the longest, which can be one
    /// whose request is still on its way), or may have carried it out.
    case cutOff(String)
    /// The server is a socket of this host another user made: nothing was
    /// sent (`ServerSocketOwner`).
    case untrustedServer(String)

    public var description: String {
        switch self {
        case .unreachable(let reason), .badResponse(let reason), .cutOff(let reason), .untrustedServer(let reason): return reason
        case .timedOut(let limit):
            let (seconds, attoseconds) = limit.components
            return "no answer within \(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
        }
    }
}
