import NIOHTTP1
import NIOSSL
import OneShotNetwork
import StressCore

/// One request to the agent (`OneShotHTTP`) with its token and JSON body,
/// its failures in the client's own words (`ClientError`).
enum HTTPExchange {
    /// Larger answers are refused: reports are a few hundred KiB at most.
    static let maxResponseBytes = 16 << 20

    /// Over TLS when `tls` is given (the endpoint is `https`). A request
    /// that may be repeated (`idempotent`) is sent once more if the
    /// connection was cut before a whole answer: an agent at its
    /// connection limit closes the connection idle the longest, and a
    /// flood of new ones can make that one whose request is on its way.
    /// One that may not (starting an attack) is not: it says so instead.
    static func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]?, to endpoint: AgentEndpoint, tls: NIOSSLContext?,
        timeout: Duration, idempotent: Bool
    ) async throws(ClientError) -> OneShotHTTP.Response {
        var headers = [("Accept", "application/json")]
        if let token = endpoint.token {
            headers.append(("Authorization", "Bearer \(token)"))
        }
        if body != nil {
            headers.append(("Content-Type", "application/json"))
        }
        let request = OneShotHTTP.Request(
            method, host: endpoint.host, port: endpoint.port, target: endpoint.basePath + path, headers: headers, body: body, tls: tls,
            carriesSecret: endpoint.token != nil)
        do {
            do {
                return try await OneShotHTTP.send(request, timeout: timeout, maxResponseBytes: maxResponseBytes)
            } catch .cutOff where idempotent {
                return try await OneShotHTTP.send(request, timeout: timeout, maxResponseBytes: maxResponseBytes)
            }
        } catch {
            switch error {
            case .unreachable(let reason) where reason.hasPrefix("TLS failed"):
                throw .unreachable(
                    endpoint: endpoint.description,
                    reason: reason + "; check --ca-file, and --cert-file/--key-file if the agent requires client certificates")
            case .unreachable(let reason), .untrustedServer(let reason):
                throw .unreachable(endpoint: endpoint.description, reason: reason)
            case .timedOut(let limit):
                throw .unreachable(endpoint: endpoint.description, reason: "no answer within \(limit.humanReadable)")
            case .badResponse(let reason):
                throw .badResponse(endpoint: endpoint.description, reason: reason)
            case .cutOff(let reason) where idempotent:
                throw .badResponse(endpoint: endpoint.description, reason: reason + ", twice")
            case .cutOff(let reason):
                throw .badResponse(
                    endpoint: endpoint.description,
                    reason: reason + "; the agent may or may not have carried out \(method) \(path): check with `stressd status --agent`")
            }
        }
    }
}
