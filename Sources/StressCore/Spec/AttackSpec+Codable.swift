/// The flat wire form shared by the ledger and the HTTP API:
/// `{"kind": "cpu", "load": "80%", "cores": 2, "duration": "30s"}`. Every
/// field but `kind` goes through `FlatParameters`, the CLI's own path, so a
/// spec that round-trips through JSON is the same spec, and a bad value gets
/// the same message it would get as a flag.
extension AttackSpec: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var flat = FlatParameters()
        var kindName: String?
        for key in container.allKeys {
            let text = try Self.scalarText(container, key)
            if key.stringValue == "kind" { kindName = text } else { flat[key.stringValue] = text }
        }
        guard let kindName else {
            throw InputError.rejected(field: "kind", reason: "every attack needs a kind")
        }
        guard let kind = AttackKind(rawValue: kindName) else {
            let known = AttackKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw InputError.malformed(field: "kind", value: kindName, expected: "one of: \(known)")
        }
        try self.init(kind: kind, parameters: flat)
    }

    /// JSON strings, numbers and booleans all become the text a flag would hold.
    private static func scalarText(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> String {
        if let text = try? container.decode(String.self, forKey: key) { return text }
        if let number = try? container.decode(Int.self, forKey: key) { return String(number) }
        if let number = try? container.decode(Double.self, forKey: key) { return String(number) }
        if let flag = try? container.decode(Bool.self, forKey: key) { return flag ? "true" : "false" }
        throw InputError.malformed(field: key.stringValue, value: "?", expected: "a string, number or boolean")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(kind.rawValue, forKey: Key(stringValue: "kind"))
        for (name, value) in flatParameters.values {
            if name == "cores", let count = Int(value) {
                try container.encode(count, forKey: Key(stringValue: name))
            } else {
                try container.encode(value, forKey: Key(stringValue: name))
            }
        }
    }
}
