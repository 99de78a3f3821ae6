import FoundationEssentials
import Glibc
import LinuxHost
import StressCore

/// Runs one attack from its ledger record to verified cleanup. The driver
/// does the kind's work; this owns what every kind shares: the record, the
/// cgroup, the deadline, stop requests, the guards, the timeline, cleanup
/// and the proof that nothing was left.
public struct AttackSupervisor: Sendable {
    public let id: AttackID
    public let spec: AttackSpec
    public let limits: HostLimits
    public let environment: AgentEnvironment
    /// The safety policy this attack is held to: the environment's, or a
    /// stricter one its request asked for.
    public let policy: SafetyPolicy
    /// How often the guards read the host: a breach stops the attack within
    /// this plus the time to stop it.
    public var guardInterval: Duration = .milliseconds(100)
    /// How often the report's timeline reads the host.
    public var timelineInterval: Duration = HostTimeline.interval
    /// The time line of the deadline, the guard and sample ticks and the
    /// timeline: a test's manual clock makes them deterministic. Workers
    /// and the watchdog keep real CLOCK_MONOTONIC deadlines regardless.
    public var clock: AgentClock = .monotonic

    public init(id: AttackID, spec: AttackSpec, limits: HostLimits, environment: AgentEnvironment, policy: SafetyPolicy? = nil) {
        self.id = id
        self.spec = spec
        self.limits = limits
        self.environment = environment
        self.policy = policy ?? environment.policy
    }

    /// The floors this attack is held to (its kind's `guardRails`).
    public var guardRails: Guard {
        spec.parameters.engine.guardRails(policy: policy, limits: limits)
    }

    /// Runs the attack. A request on `stop` (or cancelling the calling task)
    /// ends it early; cleanup runs on every path, including errors while
    /// starting, and the report says whether anything was left behind.
    public func run(stop: StopRequest, progress: @Sendable (AttackProgress) -> Void) async throws(AgentError) -> FinishedAttack {
        var driver = try spec.parameters.engine.driver(limits: limits, policy: policy, environment: environment)
        return try await run(&driver, stop: stop, progress: progress)
    }

    private func run<Driver: AttackDriver>(
        _ driver: inout Driver, stop: StopRequest, progress: @Sendable (AttackProgress) -> Void
    ) async throws(AgentError) -> FinishedAttack {
        let supervisor: ProcessIdentity
        do {
            supervisor = try environment.supervisor()
        } catch {
            throw .host(error)
        }
        let session = AttackSession(id: id, spec: spec, environment: environment, stop: stop, clock: clock, supervisor: supervisor)
        // The watchdog first, so the record names it from its first write:
        // a supervisor killed just after that write is still undone by it
        // (a watchdog whose supervisor dies before the write finds no record
        // and exits; nothing had been created).
        if driver.needsWatchdog {
            try await session.spawnWatchdog(allowance: driver.cleanupAllowance)
        }
        if let controller = driver.cgroupController {
            session.planCgroup(controller: controller)
        }
        driver.plan(session)
        // One durable write of everything planned, before any of it exists.
        do {
            try session.update { _ in }
        } catch {
            session.dismissWatchdog()
            throw error
        }
        let reader = HostReader(environment: environment, guard: guardRails, directories: driver.watchedDirectories)
        var timeline = HostTimeline(reader: reader)
        timeline.record(elapsed: 0)

        let watch = AbortWatch(
            conditions: policy.abortConditions, host: ProbeHost(procFS: environment.procFS, cgroupFS: environment.cgroupFS),
            clock: clock, start: session.startInstant)
        var stoppedAfterSeconds: Double?
        let (outcome, cleanup) = await withTaskGroup(of: Void.self) { group in
            var outcome: AttackOutcome
            var stopInstant: UInt64
            do throws(AgentError) {
                try session.createPlannedCgroup()
                try await driver.start(session)
                // The conditions are watched once the attack is under way:
                // their first look is its first instant.
                group.addTask { await watch.run(stop: stop) }
                (outcome, stopInstant) = await supervise(
                    &driver, session: session, reader: reader, timeline: &timeline, conditions: watch, progress: progress)
                stoppedAfterSeconds = session.elapsed
            } catch {
                outcome = .failed(reason: error.description)
                stopInstant = MonotonicClock.now()
            }
            group.cancelAll()
            driver.stop(session)
            let reapMilliseconds = Double(MonotonicClock.now() &- stopInstant) / 1e6
            return (outcome, undo(session.record, reapMilliseconds: reapMilliseconds, driver: driver.undone))
        }
        var report = AttackReport(
            id: id, spec: spec, startedAt: session.record.startedAt, endedAt: Date(), outcome: outcome,
            guards: guardRails, timeline: timeline.finish(elapsed: session.elapsed), cleanup: cleanup)
        report.stoppedAfterSeconds = stoppedAfterSeconds
        driver.measurements(into: &report)
        if !watch.conditions.isEmpty {
            report.abortConditions = watch.timelines
        }
        // Saved before the record goes: a supervisor killed in between leaves
        // a report that says it undid the attack, and the record for the
        // watchdog, whose undo then finds nothing left and keeps that report.
        let reports = environment.reports
        var saved = reports.saved(report)
        if cleanup.leftovers.isEmpty, let kept = forget() {
            report.cleanup.ledgerRecordRemoved = false
            report.cleanup.leftovers.append(kept)
            saved = reports.saved(report)
        }
        session.dismissWatchdog()
        return FinishedAttack(report: report, saved: saved)
    }

    /// Removes the record once its undo is verified; what was kept and why
    /// when it could not be removed.
    private func forget() -> String? {
        do {
            try environment.ledger.remove(id)
        } catch {
            return "\(error.description); \(recordKept)"
        }
        return environment.ledger.contains(id) ? recordKept : nil
    }

    /// What a report says of a record left for the next layer.
    private var recordKept: String {
        "ledger record \(environment.ledger.path(of: id)) kept for `stressd cleanup`"
    }

    /// Waits for the deadline, a stop request (an abort condition's breach
    /// among them) or a guard trip, ticking the
    /// driver in between, all on `clock`. Returns how it ended and the
    /// CLOCK_MONOTONIC instant the end was decided (the deadline itself,
    /// the signal's arrival, the breach seen), which cleanup's latency is
    /// measured from.
    private func supervise<Driver: AttackDriver>(
        _ driver: inout Driver, session: AttackSession, reader: HostReader,
        timeline: inout HostTimeline, conditions: AbortWatch, progress: @Sendable (AttackProgress) -> Void
    ) async -> (AttackOutcome, UInt64) {
        var watch = GuardWatch(rails: guardRails)
        let rails = watch.rails
        let deadline = session.deadline
        var nextGuard = clock.now() + guardInterval
        var nextSample = clock.now() + driver.sampleInterval
        var nextTimeline = session.startInstant + timelineInterval
        while true {
            let wake = min(rails.isEmpty ? deadline : nextGuard, nextSample, nextTimeline, deadline)
            let now = clock.now()
            if wake > now {
                await session.stop.sleep(for: wake - now, on: clock)
            }
            if Task.isCancelled || session.stop.requestedOutcome != nil {
                return (session.stop.requestedOutcome ?? .stopped(reason: "cancelled"), session.stop.requestedAt ?? MonotonicClock.now())
            }
            if session.isPastDeadline { return (.completed, min(MonotonicClock.now(), session.realDeadline)) }
            if !rails.isEmpty, clock.now() >= nextGuard {
                let readAt = MonotonicClock.now()
                if let trip = watch.judge(reader.reading()) {
                    return (.guardTripped(guard: trip.name.rawValue, reason: trip.reason), readAt)
                }
                nextGuard += guardInterval
            }
            if clock.now() >= nextSample {
                let tick = await driver.tick(session)
                if let outcome = tick.outcome { return (outcome, MonotonicClock.now()) }
                if let line = tick.progress {
                    progress(AttackProgress(
                        elapsed: session.elapsed, remaining: max(deadline - clock.now(), .zero), line: line, level: tick.level,
                        conditions: conditions.verdicts))
                }
                nextSample += driver.sampleInterval
            }
            if clock.now() >= nextTimeline {
                timeline.record(elapsed: session.elapsed)
                // Ticks missed while a driver's tick ran long are skipped,
                // not read back to back.
                while nextTimeline <= clock.now() { nextTimeline += timelineInterval }
            }
        }
    }

    /// Undoes the record (the same code `stressd cleanup` runs) and checks
    /// that nothing is left; the record is to be removed only if so (then
    /// `ledgerRecordRemoved` says what `forget` is about to do). What the
    /// driver could not undo itself counts as left behind too.
    private func undo(_ record: LedgerRecord, reapMilliseconds: Double, driver: DriverUndo) -> CleanupVerification {
        let undo = environment.undo
        let undone = undo.undo(record, by: .supervisor)
        var leftovers = driver.leftovers + undo.leftovers(of: record) + undone.errors
        if !leftovers.isEmpty {
            leftovers.append(recordKept)
        }
        return CleanupVerification(
            reapMilliseconds: reapMilliseconds, workersReaped: record.workers.count,
            cgroupsRemoved: undone.removedCgroups, fillFoldersRemoved: driver.removedFillFolders + undone.removedFiles,
            ledgerRecordRemoved: leftovers.isEmpty, leftovers: leftovers)
    }
}
