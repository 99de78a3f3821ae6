/// The one-line form a person types after `--abort-unless` and the config
/// holds: the check's word, then its positional values, then `name=value`
/// pairs, split at spaces, with single or double quotes around a value that
/// has spaces:
/// ```
/// http http://127.0.0.1:8080/health status=200-299 latency=300ms misses=2
/// tcp 127.0.0.1:5432 every=250ms
/// pressure memory full=10% unit=postgresql.service
/// process name=nginx min=2
/// prometheus http://127.0.0.1:9090 'sum(rate(http_errors_total[1m]))' max=5
/// ```
/// A word is a `name=value` pair only when the name is one of the check's
/// parameters, so a query or a URL with `=` in it stays positional.
extension AbortCondition {
    public init(line: String) throws(InputError) {
        try self.init(parameters: Self.parameters(ofLine: line))
    }

    /// The line as flat parameters, bare values named by their position.
    static func parameters(ofLine line: String) throws(InputError) -> FlatParameters {
        let words = try Self.words(of: line)
        guard let word = words.first else {
            throw .rejected(field: Self.field, reason: "empty; write a check such as 'http http://127.0.0.1:8080/health'")
        }
        let found = Check.types.first { $0.word == word }.map { ($0.parameterNames, $0.positionalNames) }
        guard let (parameterNames, positionalNames) = found else {
            throw .malformed(field: Self.field, value: word, expected: "a condition starting with one of \(Self.checkWords)")
        }
        let named = parameterNames.union(Self.commonNames)
        var flat = FlatParameters(["check": word])
        var positional = positionalNames[...]
        for text in words.dropFirst() {
            let pair = Self.pair(text, named: named)
            let name: String
            if let pair {
                name = pair.name
            } else if let next = positional.popFirst() {
                name = next
            } else {
                throw .rejected(
                    field: Self.field,
                    reason: "'\(text)' in '\(line)' is neither a parameter of the \(word) check (\(parameterNames.sorted().joined(separator: ", "))) nor one of its \(positionalNames.count) bare values")
            }
            guard flat[name] == nil else {
                throw .rejected(field: "\(Self.field) \(word) \(name)", reason: "given twice")
            }
            flat[name] = pair?.value ?? text
        }
        return flat
    }

    /// The condition as it would be typed: reads back to an equal value,
    /// and names it in reports, errors and outcomes.
    public var line: String {
        var flat = parameters
        var words = [flat.remove("check") ?? ""]
        for name in type(of: check.conditionCheck).positionalNames {
            if let value = flat.remove(name) { words.append(Self.quoted(value)) }
        }
        for (name, value) in flat.values.sorted(by: { $0.key < $1.key }) {
            words.append("\(name)=\(Self.quoted(value))")
        }
        return words.joined(separator: " ")
    }

    /// `name=value` when `name` is one of `named`; nil for a bare value.
    private static func pair(_ text: String, named: Set<String>) -> (name: String, value: String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let name = String(text[..<equals])
        guard named.contains(name) else { return nil }
        return (name, String(text[text.index(after: equals)...]))
    }

    /// Splits at spaces and tabs; quotes group, and are dropped.
    static func words(of line: String) throws(InputError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else {
            throw .malformed(field: field, value: line, expected: "quotes that close")
        }
        if inWord { words.append(current) }
        return words
    }

    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\t" || $0 == "'" || $0 == "\"" }) else { return value }
        return value.contains("'") ? "\"\(value)\"" : "'\(value)'"
    }
}
