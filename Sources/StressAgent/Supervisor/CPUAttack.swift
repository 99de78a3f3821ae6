import Foundation
import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// Runs one CPU attack from start to verified cleanup: records it in the
/// ledger, spawns one worker per core (each a `stressd worker cpu` process in
/// the attack's cgroup), samples them once a second, stops them at the
/// deadline or when the task is cancelled, undoes everything and proves it.
public struct CPUAttack: Sendable {
    public let id: AttackID
    public let spec: AttackSpec
    public let cpu: CPUSpec
    public let capacity: CPUCapacity
    public let environment: AgentEnvironment
    /// How often workers are measured, progress is reported and, in `total`
    /// mode, workers are retargeted.
    public var sampleInterval: Duration = .seconds(1)
    /// How much later than the supervisor's deadline a worker stops on its
    /// own: a backstop, so normally the supervisor ends it.
    public var workerDeadlineSlack: Duration = .seconds(1)

    public init(id: AttackID, spec: AttackSpec, cpu: CPUSpec, capacity: CPUCapacity, environment: AgentEnvironment) {
        self.id = id
        self.spec = spec
        self.cpu = cpu
        self.capacity = capacity
        self.environment = environment
    }

    /// Runs the attack. Cancelling the calling task stops it early (with the
    /// reason in `stop`); cleanup runs on every path, including errors while
    /// starting, and the report says whether it left anything behind.
    public func run(
        stop: StopRequest, meter: (any CPUScopeMeter)? = nil, progress: @Sendable (CPUSample, _ remaining: Duration) -> Void
    ) async throws(AgentError) -> AttackReport {
        let startedAt = Date()
        let startInstant = MonotonicClock.now()
        let deadline = startInstant + UInt64(spec.duration.seconds * 1e9)
        var record = LedgerRecord(
            id: id, spec: spec, bootID: environment.bootID,
            supervisor: try ownIdentity(), startedAt: startedAt,
            deadline: startedAt.addingTimeInterval(spec.duration.seconds))
        let cgroup = planCgroup()
        record.cgroups = cgroup.map { [$0.path.string] } ?? []
        try environment.ledger.write(record)

        var workers: [Worker] = []
        var outcome: AttackOutcome
        var samples: [CPUSample] = []
        let targetPerWorker = initialLoadPerWorker
        var goInstant = startInstant
        var baselineTicks: [UInt64] = []
        do {
            try createCgroup(cgroup, record: &record)
            workers = try await spawnWorkers(load: targetPerWorker, deadline: deadline, cgroup: cgroup, record: &record)
            baselineTicks = cpuTicks(of: workers)
            goInstant = MonotonicClock.now()
            workers.forEach { $0.control.send("go") }
            outcome = await supervise(
                workers: workers, deadline: deadline, stop: stop, meter: meter,
                samples: &samples, progress: progress, startInstant: goInstant)
        } catch {
            outcome = .failed(reason: error.description)
        }
        // Cleanup latency counts from the deadline or the stop request itself.
        let stopInstant: UInt64
        switch outcome {
        case .completed: stopInstant = min(deadline, MonotonicClock.now())
        case .stopped: stopInstant = stop.requestedAt ?? MonotonicClock.now()
        case .failed: stopInstant = MonotonicClock.now()
        }
        let ended = stopWorkers(workers, baselineTicks: baselineTicks, since: goInstant)
        let reapMilliseconds = Double(MonotonicClock.now() - stopInstant) / 1e6

        let undo = environment.undo
        let undone = undo.undo(record)
        var leftovers = undo.leftovers(of: record) + undone.errors
        var ledgerCleared = false
        if leftovers.isEmpty {
            do {
                try environment.ledger.remove(id)
                ledgerCleared = !environment.ledger.contains(id)
            } catch {
                leftovers.append(error.description)
            }
        }
        if !ledgerCleared { leftovers.append("ledger record \(environment.ledger.path(of: id)) kept for `stressd cleanup`") }
        return AttackReport(
            id: id, spec: spec, startedAt: startedAt, endedAt: Date(), outcome: outcome,
            requestedLoadPerWorker: targetPerWorker,
            workers: ended.map { WorkerSummary(pid: $0.pid, averageLoad: $0.averageLoad, exit: $0.exit) },
            samples: samples,
            cleanup: CleanupVerification(
                reapMilliseconds: reapMilliseconds, workersReaped: ended.count,
                cgroupsRemoved: undone.removedCgroups, ledgerRecordRemoved: ledgerCleared, leftovers: leftovers))
    }

    /// The load each worker starts at: the request, scaled to a quota; in
    /// `total` mode, as if the rest of the scope were idle.
    public var initialLoadPerWorker: Double {
        switch cpu.mode {
        case .added:
            return cpu.loadPerWorker(capacity: capacity)
        case .total:
            return totalController.initialLoadPerWorker
        }
    }

    var totalController: TotalLoadController {
        TotalLoadController(target: cpu.load.fraction, capacity: capacity.cores, workers: cpu.workerCount(capacity: capacity))
    }
}
