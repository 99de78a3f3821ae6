/// The flat wire form shared by the ledger and the HTTP API:
/// `{"kind": "cpu", "load": "80%", "cores": 2, "duration": "30s"}`. Every
/// field but `kind` goes through `FlatParameters`, the CLI's own path, so a
/// spec that round-trips through JSON is the same spec, and a bad value gets
/// the same message it would get as a flag.
extension AttackSpec: Codable {
    public init(from decoder: any Decoder) throws {
        var flat = try FlatParameters(from: decoder)
        try self.init(flat: &flat)
    }

    /// Builds a spec from a flat object that also names its `kind`.
    public init(flat: inout FlatParameters) throws(InputError) {
        guard let kindName = flat.remove("kind") else {
            throw .rejected(field: "kind", reason: "every attack needs a kind")
        }
        guard let kind = AttackKind(rawValue: kindName) else {
            let known = AttackKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw .malformed(field: "kind", value: kindName, expected: "one of: \(known)")
        }
        try self.init(kind: kind, parameters: flat)
    }

    /// Labels go out as an object, so a client reads `spec.labels.run`
    /// without splitting text; they come back in through either form.
    public func encode(to encoder: any Encoder) throws {
        var flat = flatParameters
        flat["kind"] = kind.rawValue
        flat["labels"] = nil
        try flat.encode(to: encoder)
        if !labels.isEmpty {
            var container = encoder.container(keyedBy: FlatParameters.Key.self)
            try container.encode(labels.values, forKey: FlatParameters.Key(stringValue: "labels"))
        }
    }
}
