import Logfmt
import Logging
import Systemd

/// Where `stressd serve` logs: straight to journald when systemd connected
/// stderr to the journal, so every line keeps its fields (ATTACK_ID,
/// PRIORITY…); otherwise logfmt lines on stderr. Only `serve` bootstraps
/// it: the one-shot attack commands talk to a person, not to a log.
enum ServiceLog {
    /// The levels `--log-level` accepts, in swift-log's spelling.
    static let levels = Logger.Level.allCases.map(\.rawValue)

    /// Once per process, before any Logger is made (Hummingbird's included).
    static func bootstrap(level: Logger.Level) {
        let toJournal = JournalStream.isStandardError
        LoggingSystem.bootstrap { _ -> any LogHandler in
            toJournal ? JournalLogHandler(logLevel: level) : LogfmtLogHandler(logLevel: level)
        }
    }
}
