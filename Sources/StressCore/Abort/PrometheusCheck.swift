/// `prometheus URL QUERY [min=X] [max=Y] [timeout=1s]`: an instant PromQL
/// query against a Prometheus server (`GET URL/api/v1/query`) returns
/// samples that all lie within [min, max]: how teams already write their
/// SLOs. A query that returns no sample, or an error, is a miss.
public struct PrometheusCheck: ConditionCheck {
    public static let word = "prometheus"
    public static let positionalNames = ["url", "query"]
    public static let parameterNames: Set<String> = ["url", "query", "min", "max", "timeout"]
    public static let unit = ""

    /// The server's base URL (`http://127.0.0.1:9090`).
    public var server: ProbeURL
    public var query: String
    public var minimum: Double?
    public var maximum: Double?
    public var timeout: Duration

    public init(server: ProbeURL, query: String, minimum: Double? = nil, maximum: Double? = nil, timeout: Duration = ProbeTimeout.default) {
        self.server = server
        self.query = query
        self.minimum = minimum
        self.maximum = maximum
        self.timeout = timeout
    }

    public init(parameters flat: FlatParameters) throws(InputError) {
        guard let text = flat["url"] else {
            throw .rejected(field: "url", reason: "a prometheus check needs the server's URL, such as http://127.0.0.1:9090")
        }
        guard let query = flat["query"], !query.trimmingWhitespace().isEmpty, query.utf8.count <= 4096 else {
            throw .rejected(field: "query", reason: "a prometheus check needs a PromQL query of at most 4096 bytes, such as 'sum(rate(http_errors_total[1m]))'")
        }
        let minimum = try flat["min"].map { text throws(InputError) in try Self.parseBound(text, field: "min") }
        let maximum = try flat["max"].map { text throws(InputError) in try Self.parseBound(text, field: "max") }
        guard minimum != nil || maximum != nil else {
            throw .rejected(field: "max", reason: "give the range the query must stay in: min=X, max=Y or both")
        }
        if let minimum, let maximum, minimum > maximum {
            throw .rejected(field: "min", reason: "min \(minimum) is above max \(maximum)")
        }
        var server = try ProbeURL(parsing: text, field: "url")
        while server.target.hasSuffix("/") { server.target.removeLast() }
        self.init(
            server: server, query: query, minimum: minimum, maximum: maximum,
            timeout: try ProbeTimeout.parse(flat["timeout"], field: "timeout") ?? ProbeTimeout.default)
    }

    public func write(to flat: inout FlatParameters) {
        flat["url"] = server.description
        flat["query"] = query
        flat["min"] = minimum.map(Self.text)
        flat["max"] = maximum.map(Self.text)
        if timeout != ProbeTimeout.default { flat["timeout"] = timeout.humanReadable }
    }

    public var check: AbortCondition.Check { .prometheus(self) }

    /// Whether a sample's value is inside the range (NaN never is).
    public func allows(_ value: Double) -> Bool {
        guard !value.isNaN else { return false }
        return (minimum.map { value >= $0 } ?? true) && (maximum.map { value <= $0 } ?? true)
    }

    /// `5` rather than `5.0`: a bound as a person would type it.
    public static func text(_ bound: Double) -> String {
        bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : String(bound)
    }

    private static func parseBound(_ text: String, field: String) throws(InputError) -> Double {
        guard let value = Double(finite: text) else {
            throw .malformed(field: field, value: text, expected: "a number such as 5 or 0.99")
        }
        return value
    }
}
