/// An attack's parameters as flat `name: value` text, exactly as the CLI's
/// flags and the API's JSON body spell them (`load: "80%"`, `fill-to:
/// "90%"`). Both build one of these and hand it to `AttackSpec(kind:parameters:)`,
/// so each parameter has one name, one syntax and one parser.
public struct FlatParameters: Hashable, Sendable, CustomStringConvertible {
    public private(set) var values: [String: String]

    /// `name=value` pairs sorted by name, as reports, logs and the CLI show them.
    public var description: String {
        values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    public func required(_ name: String, kind: AttackKind) throws(InputError) -> String {
        guard let value = values[name] else {
            throw .rejected(field: name, reason: "a \(kind.rawValue) attack needs --\(name)")
        }
        return value
    }

    /// `true`/`false` (also `yes`/`no`, `1`/`0`); absent means false.
    public func flag(_ name: String) throws(InputError) -> Bool {
        guard let value = values[name] else { return false }
        switch value.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw .malformed(field: name, value: value, expected: "true or false")
        }
    }

    /// Refuses names the kind does not know, so a typo in an API request is
    /// an error rather than a silently ignored setting.
    public func rejectUnknown(allowed: Set<String>, kind: AttackKind) throws(InputError) {
        try rejectUnknown(allowed: allowed, of: "a \(kind.rawValue) attack")
    }

    /// The same for anything else read from flat parameters (`an http condition`).
    public func rejectUnknown(allowed: Set<String>, of owner: String) throws(InputError) {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .rejected(
                field: unknown, reason: "not a parameter of \(owner) (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}
