/// A JSON object of scalars as flat parameters: strings, numbers and
/// booleans all become the text a CLI flag would hold, so the API's body
/// goes through the same parsers as the flags.
extension FlatParameters: Codable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var values: [String: String] = [:]
        for key in container.allKeys {
            values[key.stringValue] = try Self.scalarText(container, key)
        }
        self.init(values)
    }

    /// `labels` alone may also be an object of strings, checked here and
    /// kept in its joined text form (`AttackLabels`).
    static func scalarText(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> String {
        if let text = try? container.decode(String.self, forKey: key) { return text }
        if let number = try? container.decode(Int.self, forKey: key) { return String(number) }
        if let number = try? container.decode(Double.self, forKey: key) { return String(number) }
        if let flag = try? container.decode(Bool.self, forKey: key) { return flag ? "true" : "false" }
        if key.stringValue == "labels", let object = try? container.decode([String: String].self, forKey: key) {
            return try AttackLabels(object).description
        }
        let expected = key.stringValue == "labels"
            ? "an object of string values such as {\"run\": \"42\"}, or the text run=42,team=web"
            : "a string, number or boolean"
        throw InputError.rejected(field: key.stringValue, reason: "got \(jsonType(container, key)), expected \(expected)")
    }

    /// What a value that is not a scalar is, for the error: its content may
    /// be large, so it is named, not echoed.
    private static func jsonType(_ container: KeyedDecodingContainer<Key>, _ key: Key) -> String {
        if (try? container.decodeNil(forKey: key)) == true { return "null" }
        if (try? container.nestedUnkeyedContainer(forKey: key)) != nil { return "an array" }
        if (try? container.nestedContainer(keyedBy: Key.self, forKey: key)) != nil { return "an object" }
        return "a value of another type"
    }

    /// Writes every value as a string, but `cores` counts as a number.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in values {
            if name == "cores", let count = Int(value) {
                try container.encode(count, forKey: Key(stringValue: name))
            } else {
                try container.encode(value, forKey: Key(stringValue: name))
            }
        }
    }

    /// Takes a value out, e.g. `kind` or `lease`, leaving the rest.
    public mutating func remove(_ name: String) -> String? {
        defer { self[name] = nil }
        return self[name]
    }
}
