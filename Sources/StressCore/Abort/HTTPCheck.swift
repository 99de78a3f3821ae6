/// `http URL [status=200-299] [latency=300ms] [timeout=1s]`: the URL
/// answers a GET with a status in range, within `latency` if one is given.
/// No redirect is followed (a 3xx is a status like any other) and the body
/// is not read. A connection refused, a timeout or a reset is a miss.
public struct HTTPCheck: ConditionCheck {
    public static let word = "http"
    public static let positionalNames = ["url"]
    public static let parameterNames: Set<String> = ["url", "status", "latency", "timeout"]
    public static let unit = "ms"

    public var url: ProbeURL
    /// The statuses that pass: `200`, `200-299` or `2xx`.
    public var status: ClosedRange<Int>
    /// The slowest answer that passes; nil: any answer within `timeout`.
    public var latency: Duration?
    public var timeout: Duration

    public init(url: ProbeURL, status: ClosedRange<Int> = 200...299, latency: Duration? = nil, timeout: Duration = ProbeTimeout.default) {
        self.url = url
        self.status = status
        self.latency = latency
        self.timeout = timeout
    }

    public init(parameters flat: FlatParameters) throws(InputError) {
        guard let text = flat["url"] else {
            throw .rejected(field: "url", reason: "an http check needs a URL, such as http://127.0.0.1:8080/health")
        }
        self.init(
            url: try ProbeURL(parsing: text, field: "url"),
            status: try flat["status"].map(Self.parseStatus) ?? 200...299,
            latency: try ProbeTimeout.parse(flat["latency"], field: "latency"),
            timeout: try ProbeTimeout.parse(flat["timeout"], field: "timeout") ?? ProbeTimeout.default)
    }

    public func write(to flat: inout FlatParameters) {
        flat["url"] = url.description
        if status != 200...299 {
            flat["status"] = status.count == 1 ? String(status.lowerBound) : "\(status.lowerBound)-\(status.upperBound)"
        }
        flat["latency"] = latency?.humanReadable
        if timeout != ProbeTimeout.default { flat["timeout"] = timeout.humanReadable }
    }

    public var check: AbortCondition.Check { .http(self) }

    /// How long a probe waits: the latency bound, when tighter than the
    /// timeout, since an answer later than it fails anyway.
    public var wait: Duration { min(latency ?? timeout, timeout) }

    /// `200`, `200-299`, `2xx`, each within 100 to 599.
    static func parseStatus(_ text: String) throws(InputError) -> ClosedRange<Int> {
        let expected = "a status such as 200, a range such as 200-299, or a class such as 2xx"
        let range: ClosedRange<Int>
        if text.count == 3, text.hasSuffix("xx"), let digit = Int(decimalDigits: String(text.prefix(1))) {
            range = digit * 100...digit * 100 + 99
        } else {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let low = Int(decimalDigits: String(parts[0])),
                  let high = Int(decimalDigits: String(parts.last ?? "")), low <= high
            else {
                throw .malformed(field: "status", value: text, expected: expected)
            }
            range = low...high
        }
        guard range.lowerBound >= 100, range.upperBound <= 599 else {
            throw .outOfRange(field: "status", value: text, allowed: "statuses from 100 to 599")
        }
        return range
    }
}
