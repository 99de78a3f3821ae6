import Logging
import Synchronization

/// Keeps every event logged through `logger`, for tests of what an
/// operator would read.
final class CapturedLog: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    var logger: Logger {
        Logger(label: "captured") { _ in Handler(log: self) }
    }

    /// Every entry with this message, in order.
    func entries(_ message: String) -> [Entry] {
        entries.withLock { $0.filter { $0.message == message } }
    }

    var all: [Entry] { entries.withLock { $0 } }

    struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues(\.description)
            log.entries.withLock { $0.append(Entry(level: event.level, message: event.message.description, metadata: merged)) }
        }
    }
}
