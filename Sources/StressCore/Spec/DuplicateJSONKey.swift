import FoundationEssentials

/// Finds a key an attack request gives twice at the top level of its JSON
/// object. JSONDecoder keeps one of them without a word, so
/// `{"kind": "cpu", ..., "kind": "mem"}` would start whichever it kept: an
/// ambiguous request must be refused instead. A scan, not a parse: anything
/// that is not a well-formed object is left to the decoder to refuse, and
/// nesting is skipped with a counter, so a deep body costs no recursion.
public enum DuplicateJSONKey {
    public static func first(in bytes: [UInt8]) -> String? {
        var scanner = Scanner(bytes: bytes)
        scanner.skipSpace()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var seen: Set<String> = []
        while true {
            scanner.skipSpace()
            guard let keyToken = scanner.stringToken(),
                  let key = try? JSONDecoder().decode(String.self, from: Data(keyToken))
            else { return nil }
            if !seen.insert(key).inserted { return key }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ":")), scanner.skipValue() else { return nil }
            scanner.skipSpace()
            if scanner.take(UInt8(ascii: ",")) { continue }
            return nil
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A string with its quotes, escapes kept as they are.
        mutating func stringToken() -> ArraySlice<UInt8>? {
            let start = index
            guard take(UInt8(ascii: "\"")) else { return nil }
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return bytes[start..<index]
                default: index += 1
                }
            }
            return nil
        }

        /// Past one value: a string, or brackets balanced outside strings,
        /// or a scalar up to the next `,` or `}`.
        mutating func skipValue() -> Bool {
            skipSpace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "\"") { return stringToken() != nil }
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard stringToken() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return true }
                    depth -= 1
                case UInt8(ascii: ","):
                    if depth == 0 { return true }
                default:
                    break
                }
                index += 1
            }
            return depth == 0
        }
    }
}
