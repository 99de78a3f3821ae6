/// The part of TOML that stressd's config file needs, parsed without a
/// dependency: `[table]` headers, `key = value` lines, `#` comments, and
/// values that are strings ("basic" or 'literal'), integers, floats,
/// booleans, or one-line arrays of those. Anything else is an error that
/// names the line, never a silent skip: this file holds safety limits.
public enum TOMLSubset {
    public enum Value: Hashable, Sendable {
        case string(String)
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        case array([Value])
    }

    /// A key with the table it sits in, e.g. `policy.max-duration`, and
    /// the line it was found on (for errors about its value).
    public struct Entry: Hashable, Sendable {
        public var key: String
        public var value: Value
        public var line: Int
    }

    public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Entries in file order; a key given twice is an error, as in TOML.
    public static func parse(_ text: String) throws(SyntaxError) -> [Entry] {
        var entries: [Entry] = []
        var seen: Set<String> = []
        var table = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var scanner = Scanner(Array(rawLine.utf8), line: number)
            scanner.skipSpaces()
            if scanner.atEndOfContent { continue }
            if scanner.peek == UInt8(ascii: "[") {
                scanner.advance()
                scanner.skipSpaces()
                let name = try scanner.bareKey()
                scanner.skipSpaces()
                try scanner.expect("]", "a table header is `[name]`")
                try scanner.expectEndOfContent()
                table = name
                continue
            }
            let key = try scanner.bareKey()
            scanner.skipSpaces()
            try scanner.expect("=", "expected `key = value`")
            scanner.skipSpaces()
            let value = try scanner.value()
            try scanner.expectEndOfContent()
            let full = table.isEmpty ? key : table + "." + key
            guard seen.insert(full).inserted else {
                throw SyntaxError(line: number, reason: "\(full) is set twice")
            }
            entries.append(Entry(key: full, value: value, line: number))
        }
        return entries
    }

    /// Reads one line, byte by byte; every value ends at the line's end.
    private struct Scanner {
        let bytes: [UInt8]
        let line: Int
        var position = 0

        init(_ bytes: [UInt8], line: Int) {
            self.bytes = bytes
            self.line = line
        }

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        /// Nothing left but spaces and a comment.
        var atEndOfContent: Bool { peek == nil || peek == UInt8(ascii: "#") || peek == UInt8(ascii: "\r") }

        mutating func advance() { position += 1 }

        mutating func skipSpaces() {
            while peek == UInt8(ascii: " ") || peek == UInt8(ascii: "\t") { advance() }
        }

        func error(_ reason: String) -> SyntaxError { SyntaxError(line: line, reason: reason) }

        mutating func expect(_ character: Character, _ reason: String) throws(SyntaxError) {
            guard let byte = character.asciiValue, peek == byte else { throw error(reason) }
            advance()
        }

        mutating func expectEndOfContent() throws(SyntaxError) {
            skipSpaces()
            guard atEndOfContent else { throw error("unexpected text after the value; one `key = value` per line") }
        }

        mutating func bareKey() throws(SyntaxError) -> String {
            let start = position
            while let byte = peek, byte.isBareKeyByte { advance() }
            guard position > start else {
                throw error("expected a key made of letters, digits, `-` and `_` (quoted and dotted keys are not supported)")
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func value() throws(SyntaxError) -> Value {
            switch peek {
            case UInt8(ascii: "\""): return .string(try basicString())
            case UInt8(ascii: "'"): return .string(try literalString())
            case UInt8(ascii: "["): return try array()
            case nil: throw error("a value is missing after `=`")
            default: return try scalar()
            }
        }

        mutating func basicString() throws(SyntaxError) -> String {
            advance()
            var result: [UInt8] = []
            while let byte = peek {
                advance()
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: result, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = peek else { break }
                    advance()
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): result.append(escaped)
                    case UInt8(ascii: "n"): result.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "t"): result.append(UInt8(ascii: "\t"))
                    default: throw error("unsupported escape `\\\(Character(UnicodeScalar(escaped)))` (use \\\", \\\\, \\n or \\t, or a 'literal string')")
                    }
                default:
                    result.append(byte)
                }
            }
            throw error("the string is not closed on this line (multi-line strings are not supported)")
        }

        mutating func literalString() throws(SyntaxError) -> String {
            advance()
            let start = position
            while let byte = peek, byte != UInt8(ascii: "'") { advance() }
            guard peek != nil else { throw error("the string is not closed on this line") }
            defer { advance() }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func array() throws(SyntaxError) -> Value {
            advance()
            var elements: [Value] = []
            while true {
                skipSpaces()
                if peek == UInt8(ascii: "]") {
                    advance()
                    return .array(elements)
                }
                guard peek != nil, peek != UInt8(ascii: "#") else {
                    throw error("the array is not closed on this line (arrays must fit on one line)")
                }
                elements.append(try value())
                skipSpaces()
                if peek == UInt8(ascii: ",") {
                    advance()
                } else if peek == nil || peek == UInt8(ascii: "#") {
                    throw error("the array is not closed on this line (arrays must fit on one line)")
                } else if peek != UInt8(ascii: "]") {
                    throw error("expected `,` or `]` in the array")
                }
            }
        }

        mutating func scalar() throws(SyntaxError) -> Value {
            let start = position
            while let byte = peek, byte != UInt8(ascii: ","), byte != UInt8(ascii: "]"), byte != UInt8(ascii: "#"),
                  byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\r") {
                advance()
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            let digits = text.replacingUnderscoresBetweenDigits()
            if text == "true" { return .boolean(true) }
            if text == "false" { return .boolean(false) }
            if let integer = Int(digits) { return .integer(integer) }
            if let float = Double(digits), digits.contains(where: { $0.isNumber }), !digits.lowercased().contains("n") {
                return .float(float)
            }
            throw error("cannot read `\(text)` as a value; strings need quotes, e.g. \"\(text)\"")
        }
    }
}

extension UInt8 {
    fileprivate var isBareKeyByte: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || self == UInt8(ascii: "-") || self == UInt8(ascii: "_")
    }
}

extension String {
    /// TOML allows `1_000`; only between digits.
    fileprivate func replacingUnderscoresBetweenDigits() -> String {
        var result = ""
        var previous: Character?
        for (index, character) in zip(indices, self) {
            if character == "_", previous?.isNumber == true, self.index(after: index) < endIndex, self[self.index(after: index)].isNumber {
                previous = character
                continue
            }
            result.append(character)
            previous = character
        }
        return result
    }
}
