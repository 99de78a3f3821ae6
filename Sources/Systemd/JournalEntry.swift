import Logging

/// One log event as the journal's native protocol wants it: a list of
/// `KEY=value` fields. Kept apart from the sending so that what reaches
/// journald is a pure function of the event, tested without a journald.
///
/// Values are sent as they are, newlines included: `sd_journal_sendv`
/// sends a value holding a newline in the protocol's binary form (name,
/// newline, 64-bit little-endian length, bytes), so `journalctl` shows it
/// whole. Names have no such escape: journald silently drops a field whose
/// name is not 1–64 of `[A-Z0-9_]`, starts with a digit, or starts with `_`
/// (trusted fields only journald may set), hence `fieldName(for:)`.
public struct JournalEntry: Hashable, Sendable {
    /// The fields this entry sets itself; metadata never overrides them.
    static let ownFields: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
    ]

    public let fields: [String]

    /// MESSAGE, PRIORITY, SYSLOG_IDENTIFIER and the CODE_ location, then
    /// every metadata key as a field of its own, sorted by name (so
    /// `attack-id` becomes `ATTACK_ID`, which `journalctl ATTACK_ID=…` matches).
    public init(
        level: Logger.Level, message: String, metadata: Logger.Metadata, identifier: String,
        file: String, function: String, line: UInt
    ) {
        var fields = [
            "MESSAGE=\(message)",
            "PRIORITY=\(Self.priority(of: level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        let named = metadata.map { (name: Self.fieldName(for: $0.key), value: $0.value.description) }
        for field in named.sorted(by: { ($0.name, $0.value) < ($1.name, $1.value) }) {
            fields.append("\(field.name)=\(field.value)")
        }
        self.fields = fields
    }

    /// The syslog priority journald filters on (`journalctl -p`): swift-log
    /// has no emergency or alert, and both trace and debug are LOG_DEBUG.
    public static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// A metadata key as a journal field name journald keeps: upper-cased,
    /// anything else than `[A-Z0-9_]` as `_`, an `X` before a leading digit
    /// or `_`, at most 64 characters. A key that would land on one of this
    /// entry's own fields (`message`, `priority`…) gets the `X_` prefix too.
    public static func fieldName(for key: String) -> String {
        var name = String(String.UnicodeScalarView(key.uppercased().unicodeScalars.map { scalar in
            switch scalar {
            case "A"..."Z", "0"..."9", "_": return scalar
            default: return "_"
            }
        }))
        if name.first.map({ $0 == "_" || $0.isNumber }) ?? true {
            name = "X" + name
        } else if ownFields.contains(name) {
            name = "X_" + name
        }
        return String(name.prefix(64))
    }
}
