import Logging
import Systemd
import Testing

/// What the journal handler hands to sd_journal_sendv, without a journald.
@Suite("journal entry fields")
struct JournalEntryTests {
    func entry(_ level: Logger.Level = .info, _ message: String = "attack started", _ metadata: Logger.Metadata = [:]) -> [String] {
        JournalEntry(
            level: level, message: message, metadata: metadata, identifier: "stressd",
            file: "StressAgent/AgentLog.swift", function: "started(_:spec:lease:)", line: 42
        ).fields
    }

    @Test func anAttackLineCarriesItsIdAndKindAsFieldsOfTheirOwn() {
        #expect(entry(.info, "attack started", ["attack-id": "cpu-3f9a1c2e", "attack-kind": "cpu", "lease": "30s"]) == [
            "MESSAGE=attack started",
            "PRIORITY=6",
            "SYSLOG_IDENTIFIER=stressd",
            "CODE_FILE=StressAgent/AgentLog.swift",
            "CODE_LINE=42",
            "CODE_FUNC=started(_:spec:lease:)",
            "ATTACK_ID=cpu-3f9a1c2e",
            "ATTACK_KIND=cpu",
            "LEASE=30s",
        ])
    }

    @Test("levels map to syslog priorities", arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func priority(level: Logger.Level, priority: Int) {
        #expect(entry(level)[1] == "PRIORITY=\(priority)")
    }

    @Test("keys become names journald keeps", arguments: [
        ("attack-id", "ATTACK_ID"),
        ("error.message", "ERROR_MESSAGE"),
        ("cleanup ms", "CLEANUP_MS"),
        ("_SYSTEMD_UNIT", "X_SYSTEMD_UNIT"),
        ("9lives", "X9LIVES"),
        ("", "X"),
        ("grüße", "GR_SSE"),
        ("message", "X_MESSAGE"),
        ("priority", "X_PRIORITY"),
        (String(repeating: "k", count: 80), String(repeating: "K", count: 64)),
    ])
    func fieldName(key: String, name: String) {
        #expect(JournalEntry.fieldName(for: key) == name)
        let valid = name.count <= 64 && name.first.map { $0 != "_" && !$0.isNumber } == true
            && name.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        #expect(valid, "journald's journal_field_valid() would accept \(name)")
    }

    @Test func valuesKeepTheirNewlinesAndEqualsSigns() {
        // sd_journal_sendv sends a value with a newline length-prefixed, so
        // it stays one field; nothing needs escaping.
        let fields = entry(.error, "cleanup failed:\nfill folder still there", ["leftovers": "a=1\nb=2"])
        #expect(fields.first == "MESSAGE=cleanup failed:\nfill folder still there")
        #expect(fields.last == "LEFTOVERS=a=1\nb=2")
    }

    @Test func metadataIsSortedSoEntriesAreStable() {
        let fields = entry(.info, "x", ["b": "2", "a": "1", "c": "3"])
        #expect(Array(fields.suffix(3)) == ["A=1", "B=2", "C=3"])
    }
}
