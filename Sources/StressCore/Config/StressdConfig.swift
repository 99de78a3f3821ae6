/// `/etc/stressd/stressd.toml`: the operator's defaults for the agent and
/// every attack on this host: the listen address, the token, TLS, and the
/// safety policy (the blast radius). Command-line flags override it. Every
/// key is optional; an unknown key is an error, so a typo in a floor never
/// leaves the default in force unnoticed.
public struct StressdConfig: Equatable, Sendable {
    public static let defaultPath = "/etc/stressd/stressd.toml"

    public var listen: String?
    public var tokenFile: String?
    public var maxAttacks: Int?
    public var stateDirectory: String?
    public var policy = SafetyPolicy.default
    /// `[tls]`: the agent's certificate chain and key (PEM), and the CA
    /// that client certificates must be signed by (mutual TLS).
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var tlsClientCA: String?
    /// `[reports]`: how many reports the state directory keeps, how long.
    public var reportRetention = ReportRetention.default

    public init() {}

    /// Keys as they are spelled in the file, for the unknown-key error.
    public static let knownKeys = [
        "listen", "token-file", "max-attacks", "state-dir",
        "policy.max-duration", "policy.memory-floor", "policy.disk-floor", "policy.max-load-avg", "policy.abort-unless",
        "tls.certificate", "tls.key", "tls.client-ca", "reports.keep", "reports.max-age",
    ]

    /// Reads the text of a config file; `source` names it in errors.
    public init(parsing text: String, source: String) throws(InputError) {
        let entries: [TOMLSubset.Entry]
        do {
            entries = try TOMLSubset.parse(text)
        } catch {
            throw .rejected(field: "config", reason: "\(source) \(error)")
        }
        for entry in entries {
            let field = "\(entry.key) (\(source) line \(entry.line))"
            switch entry.key {
            case "listen": listen = try Self.string(entry, field: field)
            case "token-file": tokenFile = try Self.string(entry, field: field)
            case "state-dir": stateDirectory = try Self.string(entry, field: field)
            case "tls.certificate": tlsCertificate = try Self.string(entry, field: field)
            case "tls.key": tlsKey = try Self.string(entry, field: field)
            case "tls.client-ca": tlsClientCA = try Self.string(entry, field: field)
            case "max-attacks":
                guard case .integer(let count) = entry.value, count >= 1 else {
                    throw .malformed(field: field, value: Self.shown(entry.value), expected: "a whole number of at least 1")
                }
                maxAttacks = count
            case "policy.max-duration":
                policy.maxDuration = try Duration.parse(try Self.string(entry, field: field), field: field)
            case "policy.memory-floor":
                policy.memoryFloor = try SizeOrShare(parsing: try Self.string(entry, field: field), field: field)
            case "policy.disk-floor":
                policy.diskFloor = try SizeOrShare(parsing: try Self.string(entry, field: field), field: field)
            case "policy.max-load-avg":
                switch entry.value {
                case .integer(let load) where load > 0: policy.maxLoadAverage = Double(load)
                case .float(let load) where load > 0: policy.maxLoadAverage = load
                default: throw .malformed(field: field, value: Self.shown(entry.value), expected: "a load average above 0, e.g. 8.0")
                }
            case "policy.abort-unless":
                policy.abortConditions = try Self.conditions(entry, field: field)
            case "reports.keep":
                guard case .integer(let count) = entry.value, count >= 1 else {
                    throw .malformed(field: field, value: Self.shown(entry.value), expected: "a whole number of at least 1")
                }
                reportRetention.keep = count
            case "reports.max-age":
                let age = try Duration.parse(try Self.string(entry, field: field), field: field)
                guard age >= .seconds(60) else {
                    throw .outOfRange(field: field, value: Self.shown(entry.value), allowed: "at least 1m, e.g. \"720h\" for 30 days")
                }
                reportRetention.maxAge = age
            default:
                throw .rejected(
                    field: "config",
                    reason: "\(source) line \(entry.line): unknown key \(entry.key); known keys: \(Self.knownKeys.joined(separator: ", "))")
            }
        }
    }

    /// A list of conditions in the one-line form, each the operator's:
    /// `policy.abort-unless = ["pressure memory full=10%"]`.
    private static func conditions(_ entry: TOMLSubset.Entry, field: String) throws(InputError) -> [AbortCondition] {
        guard case .array(let values) = entry.value else {
            throw .malformed(field: field, value: shown(entry.value), expected: "a list of quoted conditions, e.g. [\"pressure memory full=10%\"]")
        }
        return try values.map { value throws(InputError) -> AbortCondition in
            guard case .string(let line) = value else {
                throw .malformed(field: field, value: shown(value), expected: "a quoted condition such as \"tcp 127.0.0.1:5432\"")
            }
            var condition = try AbortCondition(line: line)
            condition.source = .policy
            return condition
        }
    }

    private static func string(_ entry: TOMLSubset.Entry, field: String) throws(InputError) -> String {
        guard case .string(let text) = entry.value else {
            throw .malformed(field: field, value: shown(entry.value), expected: "a quoted string")
        }
        return text
    }

    private static func shown(_ value: TOMLSubset.Value) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .float(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .array(let values): return "[" + values.map(shown).joined(separator: ", ") + "]"
        }
    }
}
