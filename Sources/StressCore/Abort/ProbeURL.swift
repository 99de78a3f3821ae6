import FoundationEssentials

/// The `http://` or `https://` URL an http or prometheus condition asks:
/// scheme, host, port and the request target, checked once when the
/// condition is read so a probe only connects.
public struct ProbeURL: Hashable, Sendable, CustomStringConvertible {
    public var secure: Bool
    /// A name or an address; an IPv6 address without brackets.
    public var host: String
    public var port: Int
    /// The path and query as sent (`/health?full=1`), at least `/`.
    public var target: String
    /// As given, for people and for the flat form.
    public let description: String

    public init(parsing text: String, field: String) throws(InputError) {
        let expected = "an http:// or https:// URL such as http://127.0.0.1:8080/health"
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else {
            throw .malformed(field: field, value: text, expected: expected)
        }
        guard url.user == nil, url.password == nil, url.fragment == nil else {
            throw .malformed(field: field, value: text, expected: expected + ", without user, password or fragment")
        }
        secure = scheme == "https"
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = url.port ?? (secure ? 443 : 80)
        guard (1...65535).contains(port) else {
            throw .outOfRange(field: field, value: text, allowed: "ports 1 to 65535")
        }
        let path = url.path(percentEncoded: true)
        target = (path.isEmpty ? "/" : path) + (url.query(percentEncoded: true).map { "?" + $0 } ?? "")
        description = text
    }

    /// `host:port` as a Host header carries it.
    public var authority: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(shown):\(port)"
    }
}
