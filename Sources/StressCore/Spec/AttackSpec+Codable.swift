/// The flat wire form shared by the ledger and the HTTP API. Values keep the
/// syntax users type (`"80%"`, `"30s"`), decoded by the same parsers as the
/// CLI flags, so a spec that round-trips through JSON is the same spec.
extension AttackSpec: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, duration, load, cores, mode
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kindName = try container.decode(String.self, forKey: .kind)
        guard let kind = AttackKind(rawValue: kindName) else {
            let known = AttackKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw InputError.malformed(field: "kind", value: kindName, expected: "one of: \(known)")
        }
        let duration = try Duration.parse(container.decode(String.self, forKey: .duration), field: "duration")
        switch kind {
        case .cpu:
            let load = try Percentage(parsing: container.decode(String.self, forKey: .load), field: "load")
            let cores = try Self.decodeCores(container)
            let mode = try container.decodeIfPresent(CPUSpec.Mode.self, forKey: .mode) ?? .added
            self.init(.cpu(CPUSpec(load: load, cores: cores, mode: mode)), duration: duration)
        }
    }

    /// `cores` is a number or the string `"all"`; a missing value means 1.
    private static func decodeCores(_ container: KeyedDecodingContainer<CodingKeys>) throws -> CoreSelection {
        if let count = try? container.decodeIfPresent(Int.self, forKey: .cores) {
            return try CoreSelection(parsing: String(count))
        }
        guard let text = try container.decodeIfPresent(String.self, forKey: .cores) else { return .count(1) }
        return try CoreSelection(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .kind)
        try container.encode(duration.humanReadable, forKey: .duration)
        switch parameters {
        case .cpu(let cpu):
            try container.encode(cpu.load.description, forKey: .load)
            switch cpu.cores {
            case .all: try container.encode("all", forKey: .cores)
            case .count(let count): try container.encode(count, forKey: .cores)
            }
            try container.encode(cpu.mode, forKey: .mode)
        }
    }
}
