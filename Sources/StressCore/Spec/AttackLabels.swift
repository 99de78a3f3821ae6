/// Names an attack's owner so stops and lists can be scoped to it: an
/// experiment labels what it starts with its run id, then stops and lists
/// only those, never another team's attack on the same agent.
///
/// One spelling on every path: `key=value` pairs joined by commas
/// (`--label run=42 --label team=web` on the CLI, `"labels": {"run": "42"}`
/// or `"labels": "run=42,team=web"` in the API). The character sets leave
/// out `,` and `=`, so the joined text is never ambiguous, and anything
/// that could reach a log or a terminal as a control character.
public struct AttackLabels: Hashable, Sendable, CustomStringConvertible {
    public private(set) var values: [String: String]

    public static let maxCount = 16
    public static let maxKeyLength = 63
    public static let maxValueLength = 63

    public init() {
        values = [:]
    }

    /// Checks every key and value; `field` names the flag or query
    /// parameter the pairs came from, for the error.
    public init(_ values: [String: String], field: String = "labels") throws(InputError) {
        guard values.count <= Self.maxCount else {
            throw .outOfRange(field: field, value: "\(values.count) labels", allowed: "at most \(Self.maxCount)")
        }
        for (key, value) in values {
            try Self.check(key: key, value: value, field: field)
        }
        self.values = values
    }

    /// `key=value,key=value`; the empty text is no labels.
    public init(parsing text: String, field: String = "labels") throws(InputError) {
        try self.init(pairs: text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map(String.init), field: field)
    }

    /// Separate `key=value` texts, as repeated `--label` flags or `label`
    /// query parameters give them; a key given twice is refused.
    public init(pairs texts: [String], field: String) throws(InputError) {
        var pairs: [String: String] = [:]
        for text in texts {
            let (key, value) = try Self.pair(text, field: field)
            guard pairs[key] == nil else {
                throw .rejected(field: field, reason: "the label '\(key)' is given twice")
            }
            pairs[key] = value
        }
        try self.init(pairs, field: field)
    }

    /// One `key=value`, as `--label` and the `label` query parameter take it.
    public static func pair(_ text: String, field: String) throws(InputError) -> (key: String, value: String) {
        guard let equals = text.firstIndex(of: "=") else {
            throw .malformed(field: field, value: text, expected: "key=value, such as run=42")
        }
        let key = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        try check(key: key, value: value, field: field)
        return (key, value)
    }

    public var isEmpty: Bool { values.isEmpty }

    /// The joined form, sorted by key.
    public var description: String {
        values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Whether every pair of `required` is among these labels.
    public func contains(_ required: AttackLabels) -> Bool {
        required.values.allSatisfy { values[$0.key] == $0.value }
    }

    private static func check(key: String, value: String, field: String) throws(InputError) {
        let keyBytes = Array(key.utf8)
        guard let first = keyBytes.first, isLowerAlphanumeric(first), keyBytes.count <= maxKeyLength,
              keyBytes.allSatisfy({ isLowerAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/") })
        else {
            throw .malformed(
                field: field, value: key,
                expected: "a label key of 1 to \(maxKeyLength) characters: a-z and 0-9 first, then a-z, 0-9, '.', '_', '-' or '/'")
        }
        let valueBytes = Array(value.utf8)
        guard valueBytes.count <= maxValueLength,
              valueBytes.allSatisfy({ isAlphanumeric($0) || Array("._:/-".utf8).contains($0) })
        else {
            throw .malformed(
                field: field, value: value,
                expected: "a label value of at most \(maxValueLength) characters: A-Z, a-z, 0-9, '.', '_', ':', '/' or '-'")
        }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}

/// An object of strings on the wire, checked as it is read.
extension AttackLabels: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(try [String: String](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }
}
