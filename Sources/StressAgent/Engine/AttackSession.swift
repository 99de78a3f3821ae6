import FoundationEssentials
import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// One running attack's shared state, handed to its driver: the ledger
/// record (every change written before the thing it records exists), the
/// attack's cgroup, its deadline, and the one way to spawn a worker.
final class AttackSession {
    let id: AttackID
    let spec: AttackSpec
    let environment: AgentEnvironment
    let stop: StopRequest
    /// The supervisor's time line: deadlines, guard and sample ticks.
    let clock: AgentClock
    /// Instants on `clock`.
    let startInstant: Duration
    let deadline: Duration
    /// The deadline in CLOCK_MONOTONIC nanoseconds, whatever `clock` is:
    /// workers and the watchdog keep their own time boxes on the real clock,
    /// so a test's manual clock never leaves one without a deadline.
    let realDeadline: UInt64
    /// How much later than the deadline a worker stops on its own: a
    /// backstop, so normally the supervisor ends it.
    let workerDeadlineSlack: Duration = .seconds(1)
    private(set) var record: LedgerRecord
    /// The attack's cgroup, once created; nil where none could be made.
    private(set) var cgroup: AttackCgroup?
    /// The cleanup watchdog and the pipe it watches, once spawned.
    private var watchdog: (process: ChildProcess, control: ControlPipe)?

    init(
        id: AttackID, spec: AttackSpec, environment: AgentEnvironment, stop: StopRequest, clock: AgentClock,
        supervisor: ProcessIdentity
    ) {
        self.id = id
        self.spec = spec
        self.environment = environment
        self.stop = stop
        self.clock = clock
        let startedAt = Date()
        startInstant = clock.now()
        deadline = startInstant + spec.duration
        realDeadline = MonotonicClock.now() + UInt64(spec.duration.seconds * 1e9)
        record = LedgerRecord(
            id: id, spec: spec, bootID: environment.bootID, supervisor: supervisor,
            startedAt: startedAt, deadline: startedAt.addingTimeInterval(spec.duration.seconds))
    }

    /// Seconds since the attack started, on `clock`.
    var elapsed: Double {
        (clock.now() - startInstant).seconds
    }

    var isPastDeadline: Bool { clock.now() >= deadline }

    /// Changes the record and writes it to the ledger.
    func update(_ change: (inout LedgerRecord) -> Void) throws(AgentError) {
        change(&record)
        try environment.ledger.write(record)
    }

    /// Plans the attack's cgroup in the hierarchy that carries `controller`
    /// and adds it to the record (not yet written: the first write records
    /// everything planned at once, before any of it exists).
    func planCgroup(controller: String) {
        guard let membership = try? environment.procFS.cgroupMembership(),
              let planned = AttackCgroup.plan(
                name: "stressd-\(id.rawValue)", controller: controller,
                cgroupFS: environment.cgroupFS, membership: membership)
        else { return }
        record.cgroups.append(planned.path.string)
    }

    /// Adds something the driver will create to the record before the first write.
    func plan(_ change: (inout LedgerRecord) -> Void) {
        change(&record)
    }

    /// Creates the planned cgroup. Where none can be made (no permission,
    /// read-only) the attack goes on without one and the record forgets it:
    /// workers are still tracked by identity.
    func createPlannedCgroup() throws(AgentError) {
        guard let path = record.cgroups.first else { return }
        let planned = AttackCgroup(path: FilePath(path))
        do {
            try planned.create()
            cgroup = planned
        } catch {
            try update { $0.cgroups.removeAll { $0 == path } }
        }
    }

    /// Spawns `stressd worker …` for `job` with this attack's deadline and
    /// this process as its parent, puts it in the cgroup and records it. The
    /// worker waits for `go` on its control pipe, so it does nothing until
    /// it is in the ledger; if anything here fails it is killed at once.
    /// `standardOutput` and `passing` are handed to it as fd 1 and fd 3.
    func spawnWorker(
        _ job: WorkerInvocation.Job, standardOutput: Int32? = nil, passing descriptor: Int32? = nil
    ) async throws(AgentError) -> WorkerProcess {
        let workerDeadline = realDeadline + UInt64(workerDeadlineSlack.seconds * 1e9)
        let control: ControlPipe
        let process: ChildProcess
        do {
            control = try ControlPipe()
            process = try await ChildProcess.spawn(
                executable: environment.workerExecutable,
                arguments: WorkerInvocation(job: job, deadline: workerDeadline, parent: getpid()).arguments,
                standardInput: control.childEnd, standardOutput: standardOutput, passing: descriptor)
            control.closeChildEnd()
        } catch {
            throw .host(error)
        }
        do {
            let identity = try environment.procFS.processStat(process.pid).identity
            try cgroup?.add(process.pid)
            try update { $0.workers.append(identity) }
            return WorkerProcess(process: process, identity: identity, control: control)
        } catch {
            Glibc.kill(process.pid, SIGKILL)
            _ = process.reap()
            if let error = error as? AgentError { throw error }
            throw .host(error as? HostError ?? .system(call: "spawn", path: nil, errno: .ioError))
        }
    }

    /// Spawns this attack's cleanup watchdog (see `CleanupWatchdog`) in a
    /// session of its own and adds it to the record before the first write,
    /// so no moment passes with a record on disk and no watchdog for it.
    /// `allowance` is added to its grace (`AttackDriver.cleanupAllowance`).
    func spawnWatchdog(allowance: Duration) async throws(AgentError) {
        let control: ControlPipe
        let process: ChildProcess
        do {
            let invocation = CleanupWatchdog(
                attack: id, supervisor: record.supervisor,
                until: realDeadline + UInt64((CleanupWatchdog.grace + allowance).seconds * 1e9), stateDirectory: environment.stateDirectory.string)
            control = try ControlPipe()
            process = try await ChildProcess.spawn(
                executable: environment.workerExecutable, arguments: invocation.arguments,
                standardInput: control.childEnd, newSession: true)
            control.closeChildEnd()
        } catch {
            throw .host(error)
        }
        watchdog = (process, control)
        do {
            let identity = try environment.procFS.processStat(process.pid).identity
            plan { $0.watchdog = identity }
        } catch {
            dismissWatchdog()
            throw .host(error)
        }
    }

    /// Tells the watchdog the supervisor's own cleanup is over and reaps
    /// it, waiting at most a second: one that is undoing the record at this
    /// very moment (it judged the supervisor hung) finishes on its own. A
    /// watchdog told `done` exits within a millisecond, so this polls with
    /// short blocking sleeps, which a cancelled task (Ctrl-C) cannot cut.
    func dismissWatchdog() {
        guard let (process, control) = watchdog else { return }
        watchdog = nil
        control.send("done")
        control.close()
        for _ in 0..<1_000 {
            if process.reapIfExited() != nil { return }
            usleep(1_000)
        }
    }
}
