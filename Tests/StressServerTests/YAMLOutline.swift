import StressCore

/// The keys of a block-style YAML document and the text after each, enough
/// to read an OpenAPI document's paths, schema properties and examples
/// without a YAML library. Nesting comes from indentation; a `- ` sequence
/// item is a level named `-`; block scalars (`|`, `>`) are skipped; flow
/// values (`{…}`, `[…]`) must fit on their line and are kept as text.
struct YAMLOutline {
    struct Entry: Equatable {
        /// The keys from the top down to this one, e.g. `["paths", "/healthz", "get"]`.
        var path: [String]
        /// What follows `key:` on its line, trimmed; empty when it nests.
        var value: String
    }

    private(set) var entries: [Entry] = []

    init(_ text: String) {
        var open: [(column: Int, key: String)] = []
        var blockScalarColumn: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            var content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if let column = blockScalarColumn {
                if indent > column { continue }
                blockScalarColumn = nil
            }
            var column = indent
            while content.hasPrefix("- ") {
                open.removeAll { $0.column >= column }
                open.append((column, "-"))
                content = content.dropFirst(2)
                column += 2
            }
            guard let (key, value) = Self.keyAndValue(content) else { continue }
            open.removeAll { $0.column >= column }
            open.append((column, key))
            entries.append(Entry(path: open.map(\.key), value: value))
            if value.hasPrefix("|") || value.hasPrefix(">") { blockScalarColumn = column }
        }
    }

    /// The keys directly under `path`, in document order.
    func children(of path: [String]) -> [String] {
        entries.filter { $0.path.count == path.count + 1 && Array($0.path.prefix(path.count)) == path }.map { $0.path.last! }
    }

    /// The text after the key at `path`, if there is such a key.
    func value(at path: [String]) -> String? {
        entries.first { $0.path == path }?.value
    }

    /// Splits `key: value` (or `key:`), the key plain or quoted; nil for a
    /// line that holds a scalar, not a key.
    private static func keyAndValue(_ content: Substring) -> (String, String)? {
        let key: Substring
        var rest: Substring
        if let quote = content.first, quote == "\"" || quote == "'" {
            guard let close = content.dropFirst().firstIndex(of: quote) else { return nil }
            key = content[content.index(after: content.startIndex)..<close]
            rest = content[content.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
        } else if let colon = content.firstRange(of: ": ") ?? (content.hasSuffix(":") ? content.index(before: content.endIndex)..<content.endIndex : nil) {
            key = content[..<colon.lowerBound]
            rest = content[colon.lowerBound...]
        } else {
            return nil
        }
        rest = rest.dropFirst()
        return (String(key), rest.trimmingWhitespace())
    }
}
