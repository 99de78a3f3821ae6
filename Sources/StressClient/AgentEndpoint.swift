import FoundationEssentials
import OneShotNetwork
import StressCore

/// Where a remote agent listens and the token it wants: what `--agent URL`
/// and `--token-file` name. Only `http` and `https` URLs with a host; the
/// port defaults to the agent's own default, 7070, not the scheme's. The
/// token goes over `http://` only to a loopback host (`LoopbackHost`): to
/// any other, whoever sees the traffic could replay it against a root agent,
/// so that takes `allowCleartext` (`--allow-cleartext`), said on purpose.
public struct AgentEndpoint: Sendable, Equatable, CustomStringConvertible {
    public static let defaultPort = 7070

    public var secure: Bool
    public var host: String
    public var port: Int
    /// A path prefix when the agent sits behind a proxy, without a trailing `/`.
    public var basePath: String
    public var token: String?

    public init(url text: String, token: String? = nil, allowCleartext: Bool = false) throws(InputError) {
        let expected = "a URL such as http://10.0.0.5:7070 or https://agent.example:7443"
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              let host = url.host, !host.isEmpty
        else {
            throw .malformed(field: "agent", value: text, expected: expected)
        }
        guard scheme == "http" || scheme == "https" else {
            throw .malformed(field: "agent", value: text, expected: expected + " (http or https)")
        }
        guard url.query == nil, url.fragment == nil, url.user == nil else {
            throw .malformed(field: "agent", value: text, expected: expected + ", without query, fragment or user")
        }
        secure = scheme == "https"
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = url.port ?? Self.defaultPort
        guard (1...65535).contains(port) else {
            throw .outOfRange(field: "agent", value: text, allowed: "ports 1 to 65535")
        }
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        self.token = token
        if token != nil, !secure, !allowCleartext, !LoopbackHost.contains(self.host) {
            throw .rejected(
                field: "agent",
                reason: "\(text) is not a loopback address and http:// would send the token in cleartext; use https:// (the agent's --tls-cert), or pass --allow-cleartext if the path to it is protected otherwise (a VPN, an SSH tunnel)")
        }
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(secure ? "https" : "http")://\(shownHost):\(port)\(basePath)"
    }
}
