import FoundationEssentials
import Glibc
import Logging

/// A swift-log handler that writes one logfmt line per event (see
/// `LogfmtLine`), to stderr unless told otherwise: `stressd serve`'s log
/// when it does not run under systemd's journal.
public struct LogfmtLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let now: @Sendable () -> Date
    private let write: @Sendable (String) -> Void

    /// Writes to stderr.
    public init(logLevel: Logger.Level = .info) {
        self.init(logLevel: logLevel, now: Date.init, write: Self.writeToStandardError)
    }

    /// Writes each line, newline included, through `write`, stamped with `now`.
    public init(logLevel: Logger.Level, now: @escaping @Sendable () -> Date, write: @escaping @Sendable (String) -> Void) {
        self.logLevel = logLevel
        self.now = now
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        if let error = event.error { merged["error"] = "\(error)" }
        write(LogfmtLine.format(time: now(), level: event.level, message: event.message.description, metadata: merged) + "\n")
    }

    /// The whole line in one write(2), looping only on a short write: lines
    /// logged at once from several tasks do not mix (on a pipe, as under a
    /// supervisor, POSIX guarantees it for lines up to PIPE_BUF).
    private static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
