import FoundationEssentials
import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// The durable list of what running or interrupted attacks have created:
/// one JSON file per attack under `<state>/ledger/`, each replaced
/// atomically, so a crash never leaves a record half-written.
public struct Ledger: Sendable {
    public let directory: FilePath

    /// Opens (and creates, mode 0700) the ledger under a state directory.
    /// The state directory and the ledger must be this user's alone (see
    /// `TrustedPath`): a replay kills, resumes and deletes what the records
    /// name, so records another user could write are refused (exit 2).
    public init(stateDirectory: FilePath) throws(AgentError) {
        directory = stateDirectory.appending("ledger")
        do {
            try TrustedPath.requireSafeToCreate(stateDirectory)
        } catch {
            throw Self.untrusted(error)
        }
        do {
            try Directory.create(directory, mode: 0o700)
        } catch {
            throw .stateDirectory(path: stateDirectory.string, reason: error.description)
        }
        // A state directory that existed was checked in full above; one that
        // did not was made just now, and checking `ledger` covers the
        // directories above it.
        do {
            try TrustedPath.requirePrivateDirectory(directory)
        } catch {
            throw Self.untrusted(error)
        }
    }

    /// A state directory another user could have planted or could swap:
    /// bad input (exit 2, 4xx), saying what to fix.
    static func untrusted(_ error: HostError) -> AgentError {
        .input(.rejected(field: "state-dir", reason: "\(error)"))
    }

    public func path(of id: AttackID) -> FilePath {
        directory.appending("\(id.rawValue).json")
    }

    public func write(_ record: LedgerRecord) throws(AgentError) {
        do {
            let data = try JSONCoding.encoder.encode(record)
            try AtomicFile.write(Array(data), to: path(of: record.id))
        } catch let error as HostError {
            throw .ledger(reason: error.description)
        } catch {
            throw .ledger(reason: "cannot encode record \(record.id): \(error)")
        }
    }

    /// Removes a record; one already gone (another cleanup layer undid it
    /// first) is not an error.
    public func remove(_ id: AttackID) throws(AgentError) {
        do {
            try AtomicFile.remove(path(of: id))
        } catch where error.errno == .noSuchFileOrDirectory {
            return
        } catch {
            throw .ledger(reason: error.description)
        }
    }

    public func contains(_ id: AttackID) -> Bool {
        Directory.exists(path(of: id))
    }

    /// Every record, oldest first. A record that cannot be read is reported,
    /// not skipped silently: it may describe something still running.
    public func records() throws(AgentError) -> [LedgerRecord] {
        let scan = try scan()
        if let problem = scan.unreadable.first { throw .ledger(reason: problem) }
        return scan.records
    }

    /// The records that can be read, oldest first, and a line for each file
    /// that cannot ("unreadable record PATH: why; inspect it, then delete it
    /// by hand"), so a replay can undo the first before it reports the second.
    public func scan() throws(AgentError) -> (records: [LedgerRecord], unreadable: [String]) {
        let names: [String]
        do {
            names = try Directory.entries(directory).filter { $0.hasSuffix(".json") }
        } catch {
            throw .ledger(reason: error.description)
        }
        var records: [LedgerRecord] = []
        var unreadable: [String] = []
        for name in names {
            let file = directory.appending(name)
            do {
                let bytes = try TextFile.readBytes(file)
                records.append(try JSONCoding.decoder.decode(LedgerRecord.self, from: Data(bytes)))
            } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
                continue  // removed by its supervisor while we listed
            } catch {
                unreadable.append("unreadable record \(file): \(error); inspect it, then delete it by hand")
            }
        }
        return (records.sorted { $0.startedAt < $1.startedAt }, unreadable)
    }

    /// Runs `body` holding an exclusive lock on the ledger, so two stressd
    /// processes never replay the same record at once.
    public func withExclusiveLock<T>(_ body: () throws(AgentError) -> T) throws(AgentError) -> T {
        let lockPath = directory.appending(".lock")
        let fd = open(lockPath.string, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .ledger(reason: "cannot open \(lockPath): \(Errno(rawValue: Glibc.errno))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && Glibc.errno == EINTR {}
        return try body()
    }
}
