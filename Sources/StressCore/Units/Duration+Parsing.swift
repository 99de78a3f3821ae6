extension Duration {
    /// Parses the durations users type: `30s`, `5m`, `1h30m`, `250ms`, `1.5s`.
    /// A bare number is refused: `30` could mean seconds or minutes, and a
    /// fault injected for the wrong length is worse than an error.
    public static func parse(_ text: String, field: String) throws(InputError) -> Duration {
        let expected = "a duration such as 30s, 5m, 1h30m or 250ms (units: ms, s, m, h)"
        let body = text.trimmingWhitespace()
        if body.hasPrefix("-") {
            throw .outOfRange(field: field, value: text, allowed: "a duration cannot be negative")
        }
        var total = Duration.zero
        var rest = Substring(body)
        guard !rest.isEmpty else { throw .malformed(field: field, value: text, expected: expected) }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(finite: number), let scale = secondsPerUnit(unit) else {
                throw .malformed(field: field, value: text, expected: expected)
            }
            let nanoseconds = value * scale * 1e9
            // The part (before it becomes an Int64) and the sum too
            // (`9999999h9999999h`): what is accepted must print and read back.
            let part = nanoseconds < 1e18 ? Duration.nanoseconds(Int64(nanoseconds.rounded())) : nil
            guard let part, total + part < .nanoseconds(Self.maxNanoseconds) else {
                throw .outOfRange(field: field, value: text, allowed: "at most a few years")
            }
            total += part
        }
        return total
    }

    private static let maxNanoseconds: Int64 = 1_000_000_000_000_000_000

    private static func secondsPerUnit(_ unit: Substring) -> Double? {
        switch unit {
        case "ms": return 0.001
        case "s": return 1
        case "m": return 60
        case "h": return 3600
        default: return nil
        }
    }

    /// Seconds as a Double, for rates and reports.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// The short form users type back in: `250ms`, `1.5s`, `1h30m`.
    public var humanReadable: String {
        let milliseconds = Int64((seconds * 1000).rounded())
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds < 60_000 {
            return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(Double(milliseconds) / 1000)s"
        }
        var millisecondsLeft = milliseconds
        var text = ""
        if millisecondsLeft >= 3_600_000 { text += "\(millisecondsLeft / 3_600_000)h"; millisecondsLeft %= 3_600_000 }
        if millisecondsLeft >= 60_000 { text += "\(millisecondsLeft / 60_000)m"; millisecondsLeft %= 60_000 }
        // Milliseconds stay (`1m0.5s`): this is also the form a spec is stored in.
        if millisecondsLeft > 0 {
            text += millisecondsLeft % 1000 == 0 ? "\(millisecondsLeft / 1000)s" : "\(Double(millisecondsLeft) / 1000)s"
        }
        return text
    }
}
