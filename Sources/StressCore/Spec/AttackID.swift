/// The name of one attack, e.g. `cpu-3f9a1c2e`: the kind, so a human reading
/// `stressd status` knows what it is, and 32 random bits, so two agents on
/// one host never collide. Also the ledger file name and the cgroup name, so
/// it only ever holds `[a-z0-9-]`.
public struct AttackID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init<Generator: RandomNumberGenerator>(kind: AttackKind, using generator: inout Generator) {
        let bits = UInt32.random(in: .min ... .max, using: &generator)
        let hex = String(bits, radix: 16)
        rawValue = "\(kind.rawValue)-\(String(repeating: "0", count: 8 - hex.count))\(hex)"
    }

    /// The kind the name starts with (`cpu` for `cpu-3f9a1c2e`), for what
    /// only has an id, like a ledger replay; nil if it starts with none, as
    /// a hand-typed id may.
    public var kind: AttackKind? {
        rawValue.split(separator: "-").first.flatMap { AttackKind(rawValue: String($0)) }
    }

    /// Accepts an id a user typed; refuses anything that could escape the
    /// state directory or the stressd cgroup when used as a path component.
    public init(validating text: String) throws(InputError) {
        let allowed = text.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
        guard allowed, !text.isEmpty, text.count <= 64, text.first != "-" else {
            throw .malformed(field: "id", value: text, expected: "an attack id such as cpu-3f9a1c2e (see `stressd status`)")
        }
        rawValue = text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(validating: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: AttackID, rhs: AttackID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
