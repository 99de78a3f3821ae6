import FoundationEssentials
import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// The cleanup watchdog of one attack: `stressd watchdog ID --supervisor
/// PID:START --until NS --state-dir DIR`, spawned by the supervisor in a
/// session of its own and not tied to it (no PDEATHSIG), so it outlives a
/// SIGKILLed supervisor on purpose. It reads a pipe the supervisor holds
/// the other end of:
/// - `done`: the supervisor finished its own cleanup; the watchdog exits.
/// - end-of-file without `done`: the supervisor died; the watchdog undoes
///   the attack's ledger record at once.
/// - nothing by `until` (the deadline plus `grace`): the supervisor hangs;
///   the watchdog undoes the record while it lives.
/// It undoes only the record of its attack, and only while that record
/// still names the supervisor it watches, through the same `AttackUndo` as
/// every other layer (so it never signals a process whose start time
/// differs from the record). SIGTERM, SIGINT and SIGHUP are ignored: a
/// service manager stopping the agent's cgroup must not kill it before
/// it has undone what the dead agent left.
///
/// Read by hand, like `WorkerInvocation`, so it starts without the
/// argument parser's cost.
public struct CleanupWatchdog: Equatable, Sendable {
    /// How long after the attack's deadline a supervisor that has not said
    /// `done` counts as hung (plus its driver's `cleanupAllowance`).
    public static let grace: Duration = .seconds(3)

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public var attack: AttackID
    public var supervisor: ProcessIdentity
    /// CLOCK_MONOTONIC nanoseconds: the deadline plus `grace` and the
    /// attack's cleanup allowance.
    public var until: UInt64
    public var stateDirectory: String

    public init(attack: AttackID, supervisor: ProcessIdentity, until: UInt64, stateDirectory: String) {
        self.attack = attack
        self.supervisor = supervisor
        self.until = until
        self.stateDirectory = stateDirectory
    }

    /// The arguments after the executable's path.
    public var arguments: [String] {
        ["watchdog", attack.rawValue, "--supervisor", "\(supervisor.pid):\(supervisor.startTime)",
         "--until", String(until), "--state-dir", stateDirectory]
    }

    /// Reads `arguments` (after the executable's path), the inverse of `arguments`.
    public init(parsing arguments: [String]) throws(Malformed) {
        guard arguments.count == 8, arguments[0] == "watchdog",
              arguments[2] == "--supervisor", arguments[4] == "--until", arguments[6] == "--state-dir"
        else {
            throw Malformed(description: "expected `watchdog ID --supervisor PID:START --until NS --state-dir DIR`")
        }
        guard let attack = try? AttackID(validating: arguments[1]) else {
            throw Malformed(description: "\(arguments[1]) is not an attack id")
        }
        let parts = arguments[3].split(separator: ":")
        // PID 1 too: an agent that is a container's init is a supervisor like any other.
        guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, let start = UInt64(parts[1]) else {
            throw Malformed(description: "--supervisor \(arguments[3]) is not PID:START")
        }
        guard let until = UInt64(arguments[5]) else {
            throw Malformed(description: "--until \(arguments[5]) is not a number of nanoseconds")
        }
        self.init(attack: attack, supervisor: ProcessIdentity(pid: pid, startTime: start), until: until, stateDirectory: arguments[7])
    }

    /// Waits, then undoes the record if the supervisor died or hung; the
    /// process's exit status (0 also when there was nothing to do).
    /// - Important: blocks the calling thread until the supervisor is done.
    public func run(executable: String) -> Int32 {
        for ignored in [SIGTERM, SIGINT, SIGHUP] { signal(ignored, SIG_IGN) }
        var reader = ControlReader()
        while let line = reader.nextLine(deadline: until) {
            if line == "done" { return 0 }
        }
        let why = MonotonicClock.now() >= until
            ? "its supervisor (\(supervisor)) had not finished \(Self.grace.humanReadable) (and its cleanup allowance) after the deadline"
            : "its supervisor (\(supervisor)) died"
        do {
            // It does not read the operator's config: its one report deletes
            // none (the next attack's save applies the retention).
            let environment = try AgentEnvironment(
                stateDirectory: FilePath(stateDirectory), workerExecutable: executable, reportRetention: nil)
            let undone = try environment.replay.undoAbandoned(attack, supervisor: supervisor) { record, result in
                saveReport(record, result, why: why, environment: environment)
                // Counted once its record goes; a partial undo stays for
                // the replay, which counts it when it finishes it.
                if result.errors.isEmpty { count(environment.watchdogTally) }
            }
            guard let result = undone else { return 0 }
            let outcome = result.errors.isEmpty ? "undid it" : "could not undo all of it: \(result.errors.joined(separator: "; "))"
            StandardStream.error.write("stressd watchdog: \(attack): \(why); \(outcome)\n")
            return result.errors.isEmpty ? 0 : 1
        } catch {
            StandardStream.error.write("stressd watchdog: \(attack): \(why), and undoing it failed: \(error); `stressd cleanup` retries\n")
            return 1
        }
    }

    /// One more undo in the tally `/metrics` reads; a count that cannot be
    /// written is said, and undoes nothing less.
    private func count(_ tally: WatchdogTally) {
        do {
            try tally.add()
        } catch {
            StandardStream.error.write("stressd watchdog: \(attack): cannot count the undo in \(tally.file): \(error)\n")
        }
    }

    /// A report for `stressd report ID`: the supervisor that would have
    /// written one is gone.
    private func saveReport(_ record: LedgerRecord, _ result: UndoResult, why: String, environment: AgentEnvironment) {
        let store = environment.reports
        // A supervisor that died after saving its report but before removing
        // the record did the undo itself; its report stands.
        guard let spec = record.spec, (try? store.load(attack)) == nil else { return }
        let cleanup = CleanupVerification(
            reapMilliseconds: 0, workersReaped: result.killedWorkers.count, cgroupsRemoved: result.removedCgroups,
            fillFoldersRemoved: result.removedFiles, ledgerRecordRemoved: result.errors.isEmpty,
            leftovers: result.errors, undoneBy: .watchdog)
        let report = AttackReport(
            id: attack, spec: spec, startedAt: record.startedAt, endedAt: Date(),
            outcome: .failed(reason: why), timeline: [], cleanup: cleanup)
        _ = try? store.save(report)
    }
}
