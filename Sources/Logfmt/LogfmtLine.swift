import FoundationEssentials
import Logging

/// One log event as a logfmt line, the `key=value` format that Loki, Vector
/// and `grep` read alike: `ts=… level=info msg="attack started"
/// attack_id=cpu-3f9a1c2e attack_kind=cpu`. A value is quoted only when it
/// must be, and escaped as go-logfmt (the reference decoder) reads it back,
/// so a newline in a value never breaks a line in two.
public enum LogfmtLine {
    /// RFC 3339 in UTC with milliseconds: sorts as text, reads anywhere.
    static let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `ts`, `level` and `msg`, then the metadata sorted by key (so lines
    /// are stable to diff and to test), without a trailing newline.
    public static func format(time: Date, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var pairs = [
            "ts=\(time.formatted(timestamp))",
            "level=\(level.rawValue)",
            "msg=\(value(message))",
        ]
        let fields = metadata.map { (key: key($0.key), value: value($0.value.description)) }
        for field in fields.sorted(by: { ($0.key, $0.value) < ($1.key, $1.value) }) {
            pairs.append("\(field.key)=\(field.value)")
        }
        return pairs.joined(separator: " ")
    }

    /// A metadata key as a logfmt key: letters, digits, `_` and `.` stay,
    /// anything else becomes `_` (`attack-id` → `attack_id`, the same name
    /// as the journal's `ATTACK_ID` but for case).
    static func key(_ raw: String) -> String {
        let kept = String(String.UnicodeScalarView(raw.unicodeScalars.map { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", ".": return scalar
            default: return "_"
            }
        }))
        return kept.isEmpty ? "_" : kept
    }

    /// A value as it is when it cannot be misread, else in double quotes
    /// with `\\`, `\"`, `\n`, `\r`, `\t` and `\u00XX` for other controls.
    static func value(_ raw: String) -> String {
        let needsQuotes = raw.isEmpty || raw.unicodeScalars.contains { scalar in
            scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.properties.isWhitespace
                || scalar.value < 0x20 || scalar.value == 0x7F
        }
        guard needsQuotes else { return raw }
        var quoted = "\""
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
