import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 request and its response over a fresh connection, with a
/// time limit on the whole exchange: what the CLI's `--agent` client and
/// the agent's http and prometheus abort conditions both need. A handful of
/// small requests a second at most, so a connection each: no pool, no
/// keep-alive, no redirects (a 3xx is an answer like any other).
public enum OneShotHTTP {
    public struct Request: Sendable {
        public var method: HTTPMethod
        public var host: String
        public var port: Int
        /// The path and query (`/v1/attacks?label=run%3D1`).
        public var target: String
        public var headers: [(String, String)]
        public var body: [UInt8]?
        /// TLS with this context when given (an `https` URL).
        public var tls: NIOSSLContext?
        /// The request carries a secret (a bearer token): when the server
        /// is a socket of this host, it is sent only if root or this
        /// process's user made that socket (`ServerSocketOwner`).
        public var carriesSecret: Bool

        public init(
            _ method: HTTPMethod, host: String, port: Int, target: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
            tls: NIOSSLContext? = nil, carriesSecret: Bool = false
        ) {
            self.method = method
            self.host = host
            self.port = port
            self.target = target
            self.headers = headers
            self.body = body
            self.tls = tls
            self.carriesSecret = carriesSecret
        }
    }

    public struct Response: Sendable {
        public var status: Int
        public var contentType: String?
        public var body: [UInt8]
    }

    /// Sends `request` and returns the answer, or fails once `timeout` has
    /// passed since the call. Bodies over `maxResponseBytes` are refused;
    /// with `readBody` false the answer ends at its head, and the body is
    /// never read (a health check needs only the status).
    public static func send(
        _ request: Request, timeout: Duration, maxResponseBytes: Int = 16 << 20, readBody: Bool = true
    ) async throws(NetworkFailure) -> Response {
        do {
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await exchange(request, timeout: timeout, maxResponseBytes: maxResponseBytes, readBody: readBody) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let response = try await group.next() ?? nil else {
                    throw NetworkFailure.timedOut(timeout)
                }
                return response
            }
        } catch let error as NetworkFailure {
            throw error
        } catch ChannelError.connectTimeout {
            throw .timedOut(timeout)
        } catch {
            // A reset can also come before the exchange began, as the
            // channel is set up.
            throw cutOff(error) as? NetworkFailure ?? .unreachable(reason(for: error))
        }
    }

    /// NIO's errors in the words of strerror, e.g. "Connection refused".
    static func reason(for error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return reason(for: first.error) }
            return error.dnsAError != nil || error.dnsAAAAError != nil ? "the host name does not resolve" : "cannot connect"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case ChannelError.connectTimeout:
            return "connecting timed out"
        case let error where isTLSFailure(error):
            return "TLS failed (\(error))"
        default:
            return String(describing: error)
        }
    }

    private static func isTLSFailure(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError
    }

    /// A write or read that failed because the server closed or reset the
    /// connection, as `NetworkFailure.cutOff`; any other error as it is
    /// (a TLS failure stays one).
    private static func cutOff(_ error: any Error) -> any Error {
        switch error {
        case let error as NIOConnectionError where error.connectionErrors.count == 1:
            let inner = cutOff(error.connectionErrors[0].error)
            return inner is NetworkFailure ? inner : error
        case let error as IOError where [ECONNRESET, EPIPE].contains(error.errnoCode):
            return NetworkFailure.cutOff(reason(for: error) + " before a whole answer")
        case ChannelError.ioOnClosedChannel, ChannelError.outputClosed, ChannelError.eof, ChannelError.alreadyClosed:
            return NetworkFailure.cutOff("the connection closed before a whole answer")
        default:
            return error
        }
    }

    private static func exchange(_ request: Request, timeout: Duration, maxResponseBytes: Int, readBody: Bool) async throws -> Response {
        let channel = try await connect(request, timeout: timeout)
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: request.host.contains(":") ? "[\(request.host)]" : request.host)
        headers.add(name: "User-Agent", value: "stressd")
        headers.add(name: "Connection", value: "close")
        for (name, value) in request.headers {
            headers.add(name: name, value: value)
        }
        if let body = request.body {
            headers.add(name: "Content-Length", value: String(body.count))
        }
        let head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target, headers: headers)
        var parts: [HTTPClientRequestPart] = [.head(head)]
        if let body = request.body {
            parts.append(.body(.byteBuffer(ByteBuffer(bytes: body))))
        }
        parts.append(.end(nil))
        return try await channel.executeThenClose { inbound, outbound in
            // One write and one flush: a server may answer (and, asked to
            // close, close) as soon as it has the head; an answer that came
            // before a later write failed is still the answer.
            var unsent: (any Error)?
            do {
                try await outbound.write(contentsOf: parts)
            } catch {
                unsent = error
            }
            var response: Response?
            do {
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        response = Response(status: Int(head.status.code), contentType: head.headers.first(name: "Content-Type"), body: [])
                        if !readBody, let response { return response }
                    case .body(var buffer):
                        guard (response?.body.count ?? 0) + buffer.readableBytes <= maxResponseBytes else {
                            throw NetworkFailure.badResponse("answer larger than \(maxResponseBytes) bytes")
                        }
                        response?.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                    case .end:
                        if let response { return response }
                    }
                }
            } catch let error as NetworkFailure {
                throw error
            } catch {
                // A refused TLS handshake closes the channel, so a write
                // after it fails as "closed": the TLS error says why.
                throw cutOff(isTLSFailure(error) ? error : unsent ?? error)
            }
            throw unsent.map(cutOff) ?? NetworkFailure.cutOff("the connection closed before a whole answer")
        }
    }

    /// Connecting ignores task cancellation, so it is bounded by the
    /// exchange's own time limit: `send` returns at its timeout.
    private static func connect(
        _ request: Request, timeout: Duration
    ) async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        // SNI takes names only; for an IP literal NIOSSL checks the
        // certificate against the address connected to instead.
        let isAddressLiteral = (try? SocketAddress(ipAddress: request.host, port: 0)) != nil
        let serverName = isAddressLiteral ? nil : request.host
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: request.host, port: request.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if request.carriesSecret {
                        try channel.pipeline.syncOperations.addHandler(ServerOwnerCheck())
                    }
                    if let tls = request.tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
    }
}
