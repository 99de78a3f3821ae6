import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import StressCore

/// One HTTP/1.1 request and its whole response over a fresh connection.
/// The CLI sends a handful of small requests a second at most, so a
/// connection each keeps this short: no pool, no keep-alive, no redirects.
enum HTTPExchange {
    struct Response: Sendable {
        var status: Int
        var contentType: String?
        var body: [UInt8]
    }

    /// Larger answers are refused: reports are a few hundred KiB at most.
    static let maxResponseBytes = 16 << 20

    /// Over TLS when `tls` is given (the endpoint is `https`).
    static func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]?, to endpoint: AgentEndpoint, tls: NIOSSLContext?,
        timeout: Duration
    ) async throws(ClientError) -> Response {
        do {
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await exchange(method, path, body: body, endpoint: endpoint, tls: tls) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let response = try await group.next() ?? nil else {
                    throw ClientError.unreachable(endpoint: endpoint.description, reason: "no answer within \(timeout.humanReadable)")
                }
                return response
            }
        } catch let error as ClientError {
            throw error
        } catch {
            throw .unreachable(endpoint: endpoint.description, reason: reason(for: error))
        }
    }

    /// NIO's errors in the words of strerror, e.g. "Connection refused".
    private static func reason(for error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return reason(for: first.error) }
            return error.dnsAError != nil || error.dnsAAAAError != nil ? "the host name does not resolve" : "cannot connect"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case ChannelError.connectTimeout:
            return "connecting timed out"
        case let error where error is NIOSSLError || error is BoringSSLError:
            return "TLS failed (\(error)); check --ca-file, and --cert-file/--key-file if the agent requires client certificates"
        default:
            return String(describing: error)
        }
    }

    private static func exchange(
        _ method: HTTPMethod, _ path: String, body: [UInt8]?, endpoint: AgentEndpoint, tls: NIOSSLContext?
    ) async throws -> Response {
        // SNI takes names only; for an IP literal NIOSSL checks the
        // certificate against the address connected to instead.
        let isAddressLiteral = (try? SocketAddress(ipAddress: endpoint.host, port: 0)) != nil
        let serverName = isAddressLiteral ? nil : endpoint.host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: endpoint.host)
        headers.add(name: "User-Agent", value: "stressd")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "Connection", value: "close")
        if let token = endpoint.token {
            headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.count))
        }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: endpoint.basePath + path, headers: headers)
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head))
            if let body {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            }
            try await outbound.write(.end(nil))
            var response: Response?
            for try await part in inbound {
                switch part {
                case .head(let head):
                    response = Response(status: Int(head.status.code), contentType: head.headers.first(name: "Content-Type"), body: [])
                case .body(var buffer):
                    guard (response?.body.count ?? 0) + buffer.readableBytes <= maxResponseBytes else {
                        throw ClientError.badResponse(endpoint: endpoint.description, reason: "answer larger than \(maxResponseBytes) bytes")
                    }
                    response?.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    if let response { return response }
                }
            }
            throw ClientError.badResponse(endpoint: endpoint.description, reason: "the connection closed before a whole answer")
        }
    }
}
