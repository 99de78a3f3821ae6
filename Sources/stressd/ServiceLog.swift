import Logfmt
import Logging
import Systemd

/// Where `stressd serve` logs: straight to journald when systemd connected
/// stderr to the journal, so every line keeps its fields (ATTACK_ID,
/// PRIORITY…); otherwise logfmt lines on stderr. Only `serve` bootstraps
/// it: the one-shot attack commands talk to a person, not to a log.
enum ServiceLog {
    /// Once per process, before any Logger is made (Hummingbird's included).
    static func bootstrap() {
        let toJournal = JournalStream.isStandardError
        LoggingSystem.bootstrap { _ -> any LogHandler in
            toJournal ? JournalLogHandler() : LogfmtLogHandler()
        }
    }
}
