import CSystemd
import Glibc
import Logging

/// A swift-log handler that writes each event to journald through its
/// native protocol, so every metadata key is a field an operator can match
/// (`journalctl -u stressd ATTACK_ID=cpu-3f9a1c2e`) and the level is the
/// entry's PRIORITY (`journalctl -p warning`). Use it when stderr is the
/// journal (`JournalStream.isStandardError`); elsewhere the native socket
/// is missing and `sd_journal_sendv` drops every entry.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    /// SYSLOG_IDENTIFIER of every entry, what `journalctl -t` matches.
    public let identifier: String

    public init(identifier: String = "stressd", logLevel: Logger.Level = .info) {
        self.identifier = identifier
        self.logLevel = logLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        if let error = event.error { merged["error"] = "\(error)" }
        let entry = JournalEntry(
            level: event.level, message: event.message.description, metadata: merged, identifier: identifier,
            file: event.file, function: event.function, line: event.line)
        if Self.send(entry.fields) < 0 {
            // journald is restarting or refuses us: stderr is its stream,
            // which reads a "<priority>" prefix, so the line still lands
            // there at its level, only without the fields.
            Self.writeToStandardError("<\(JournalEntry.priority(of: event.level))>\(event.message)\n")
        }
    }

    /// One `sd_journal_sendv` call: every field an iovec over one buffer.
    /// Returns 0 or a negative errno.
    private static func send(_ fields: [String]) -> Int32 {
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = buffer.count
            buffer.append(contentsOf: field.utf8)
            ranges.append(start..<buffer.count)
        }
        return buffer.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return -EINVAL }
            let vectors = ranges.map { iovec(iov_base: base + $0.lowerBound, iov_len: $0.count) }
            return stressd_sd_journal_sendv(vectors, Int32(vectors.count))
        }
    }

    private static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        _ = write(STDERR_FILENO, &bytes, bytes.count)
    }
}
