import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL

/// How many connections the agent holds at once and how long one may sit
/// idle: what keeps a local user who opens connections and sends nothing
/// from locking the operator out or running the root agent out of file
/// descriptors (its guards read /proc through descriptors too).
public struct ConnectionLimits: Sendable, Equatable {
    /// Connections held at once. A new one beyond this takes the place of
    /// the connection idle the longest (or, if none is idle, the one whose
    /// response has been stalled for over `idleTimeout` the longest), or is
    /// closed at once if every one is answering a request and making
    /// progress: accepting never fails for want of file
    /// descriptors, and a flood of idle connections cannot crowd out a
    /// request that arrives with its data.
    public var maxConnections: Int
    /// A connection with no request in progress is closed after this long.
    /// It also bounds the time to send a request's head: Hummingbird counts
    /// activity in whole request parts, so a head sent a byte at a time
    /// (slowloris) is idle all along.
    public var idleTimeout: Duration

    public static let defaults = ConnectionLimits(maxConnections: 256, idleTimeout: .seconds(10))

    public init(maxConnections: Int, idleTimeout: Duration) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
    }

    /// The server `Application` runs: HTTP/1.1, over TLS when `tls` is
    /// given, within these limits.
    public func httpServer(tls: TLSConfiguration?) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in try childChannel(responder, tls: tls) }
    }

    /// The child channel each accepted connection goes through, over TLS
    /// when `tls` is given, one table of connections per server.
    func childChannel(
        _ responder: @escaping HTTPChannelHandler.Responder, tls: TLSConfiguration?
    ) throws -> any ServerChildChannel {
        let table = ConnectionTable(capacity: maxConnections, stallLimit: idleTimeout)
        let http = HTTP1Channel(
            responder: responder,
            configuration: .init(
                additionalChannelHandlers: [ConnectionActivityHandler(table: table)],
                idleTimeout: TimeAmount(idleTimeout)))
        guard let tls else { return CappedChildChannel(base: http, table: table) }
        return CappedChildChannel(base: try TLSChannel(http, tlsConfiguration: tls), table: table)
    }
}
