/// `tcp HOST:PORT [latency=100ms] [timeout=1s]`: a connection to the
/// address is accepted (and closed at once), within `latency` if given.
public struct TCPCheck: ConditionCheck {
    public static let word = "tcp"
    public static let positionalNames = ["address"]
    public static let parameterNames: Set<String> = ["address", "latency", "timeout"]
    public static let unit = "ms"

    /// A name or an address; an IPv6 address without brackets.
    public var host: String
    public var port: Int
    public var latency: Duration?
    public var timeout: Duration

    public init(host: String, port: Int, latency: Duration? = nil, timeout: Duration = ProbeTimeout.default) {
        self.host = host
        self.port = port
        self.latency = latency
        self.timeout = timeout
    }

    public init(parameters flat: FlatParameters) throws(InputError) {
        guard let text = flat["address"] else {
            throw .rejected(field: "address", reason: "a tcp check needs an address, such as 127.0.0.1:5432")
        }
        let (host, port) = try Self.parseAddress(text)
        self.init(
            host: host, port: port, latency: try ProbeTimeout.parse(flat["latency"], field: "latency"),
            timeout: try ProbeTimeout.parse(flat["timeout"], field: "timeout") ?? ProbeTimeout.default)
    }

    public func write(to flat: inout FlatParameters) {
        flat["address"] = address
        flat["latency"] = latency?.humanReadable
        if timeout != ProbeTimeout.default { flat["timeout"] = timeout.humanReadable }
    }

    public var check: AbortCondition.Check { .tcp(self) }

    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// How long a probe waits (see `HTTPCheck.wait`).
    public var wait: Duration { min(latency ?? timeout, timeout) }

    /// `host:port` or `[v6]:port`.
    static func parseAddress(_ text: String) throws(InputError) -> (String, Int) {
        let expected = "host:port, such as 127.0.0.1:5432, db.internal:5432 or [::1]:5432"
        guard let colon = text.lastIndex(of: ":"), let port = Int(decimalDigits: String(text[text.index(after: colon)...])) else {
            throw .malformed(field: "address", value: text, expected: expected)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw .malformed(field: "address", value: text, expected: expected)
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" || $0 == "[" || $0 == "]" }) else {
            throw .malformed(field: "address", value: text, expected: expected)
        }
        guard (1...65535).contains(port) else {
            throw .outOfRange(field: "address", value: text, allowed: "ports 1 to 65535")
        }
        return (host, port)
    }
}
