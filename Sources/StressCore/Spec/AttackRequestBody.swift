import FoundationEssentials

/// A `POST /v1/attacks` body as JSON: one flat object in the CLI's
/// vocabulary, and beside it the `abort-unless` list, whose items are
/// condition objects (`{"check": "http", "url": "…", "status": "200"}`)
/// or the one-line form a person types (`"tcp 127.0.0.1:5432"`). The client
/// encodes it, the agent decodes it (`AttackRequest`).
public struct AttackRequestBody: Codable, Sendable {
    public var parameters: FlatParameters
    public var abortConditions: [AbortCondition]

    public init(parameters: FlatParameters, abortConditions: [AbortCondition] = []) {
        self.parameters = parameters
        self.abortConditions = abortConditions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FlatParameters.Key.self)
        var values: [String: String] = [:]
        abortConditions = []
        for key in container.allKeys {
            if key.stringValue == AbortCondition.field {
                abortConditions = try Self.conditions(container, key)
            } else {
                values[key.stringValue] = try FlatParameters.scalarText(container, key)
            }
        }
        parameters = FlatParameters(values)
    }

    public func encode(to encoder: any Encoder) throws {
        try parameters.encode(to: encoder)
        guard !abortConditions.isEmpty else { return }
        var container = encoder.container(keyedBy: FlatParameters.Key.self)
        try container.encode(abortConditions.map(\.parameters), forKey: FlatParameters.Key(stringValue: AbortCondition.field))
    }

    private static func conditions(_ container: KeyedDecodingContainer<FlatParameters.Key>, _ key: FlatParameters.Key) throws -> [AbortCondition] {
        let expected = "a list of conditions, each an object such as {\"check\": \"http\", \"url\": \"http://127.0.0.1:8080/health\"} or a line such as \"tcp 127.0.0.1:5432\""
        guard var list = try? container.nestedUnkeyedContainer(forKey: key) else {
            throw InputError.rejected(field: AbortCondition.field, reason: "expected \(expected)")
        }
        var conditions: [AbortCondition] = []
        while !list.isAtEnd {
            if let line = try? list.decode(String.self) {
                conditions.append(try AbortCondition(line: line))
            } else if let flat = try? list.decode(FlatParameters.self) {
                conditions.append(try AbortCondition(parameters: flat))
            } else {
                throw InputError.rejected(field: AbortCondition.field, reason: "item \(conditions.count + 1) is neither; expected \(expected)")
            }
        }
        guard conditions.count <= AbortCondition.maximumPerAttack else {
            throw InputError.outOfRange(
                field: AbortCondition.field, value: "\(conditions.count) conditions", allowed: "at most \(AbortCondition.maximumPerAttack)")
        }
        return conditions
    }
}
