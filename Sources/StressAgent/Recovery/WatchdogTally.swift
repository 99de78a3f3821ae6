import LinuxHost
import SystemPackage

/// How many attacks cleanup watchdogs have undone with this state
/// directory, kept in `<state>/watchdog-undos`. A watchdog acts when the
/// agent that ran the attack is dead or hung, so no live agent sees it
/// happen; the count is kept here for `/metrics` to read
/// (`stressd_cleanups_total{layer="watchdog"}`), whichever agent serves
/// next. Beside the ledger, not in it: every file in the ledger is a record
/// to undo.
public struct WatchdogTally: Sendable {
    public let stateDirectory: FilePath
    static let fileName = "watchdog-undos"

    public init(stateDirectory: FilePath) {
        self.stateDirectory = stateDirectory
    }

    public var file: FilePath { stateDirectory.appending(Self.fileName) }

    /// The count so far: 0 before the first undo, nil when the file cannot
    /// be read or does not hold a count.
    public func count() -> UInt64? {
        do {
            let text = try OpenDirectory.open(stateDirectory).readText(Self.fileName, limit: 64)
            return UInt64(text.filter { !$0.isWhitespace })
        } catch where error.errno == .noSuchFileOrDirectory {
            return 0
        } catch {
            return nil
        }
    }

    /// Adds one, replacing the file atomically. The caller holds the
    /// ledger's lock (`LedgerReplay.undoAbandoned`), so two watchdogs
    /// undoing at once never lose each other's count.
    func add() throws(HostError) {
        let (next, overflow) = (count() ?? 0).addingReportingOverflow(1)
        try AtomicFile.write(Array("\(overflow ? .max : next)\n".utf8), to: file)
    }
}
