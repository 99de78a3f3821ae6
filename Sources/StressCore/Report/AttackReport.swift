import Foundation

/// The record of one attack a user keeps: what was asked, what the host did,
/// how it ended and proof that nothing was left behind. Written as JSON
/// (`--json`, `--report FILE`) and kept in the state directory.
public struct AttackReport: Codable, Hashable, Sendable {
    public var id: AttackID
    public var spec: AttackSpec
    public var startedAt: Date
    public var endedAt: Date
    public var outcome: AttackOutcome
    /// The load each worker was asked to run at, 0...1 of a core (in `total`
    /// mode, the initial value).
    public var requestedLoadPerWorker: Double
    public var workers: [WorkerSummary]
    /// One sample a second: what the attack achieved while it ran.
    public var samples: [CPUSample]
    public var cleanup: CleanupVerification

    public init(
        id: AttackID, spec: AttackSpec, startedAt: Date, endedAt: Date, outcome: AttackOutcome,
        requestedLoadPerWorker: Double, workers: [WorkerSummary], samples: [CPUSample], cleanup: CleanupVerification
    ) {
        self.id = id
        self.spec = spec
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.requestedLoadPerWorker = requestedLoadPerWorker
        self.workers = workers
        self.samples = samples
        self.cleanup = cleanup
    }
}

/// One worker over the whole attack, measured from its own /proc/PID/stat.
public struct WorkerSummary: Codable, Hashable, Sendable {
    public var pid: Int32
    /// CPU time used divided by wall time it ran, 0...1 of a core.
    public var averageLoad: Double
    /// How the worker ended: `killed at deadline`, `exited at its own deadline`…
    public var exit: String

    public init(pid: Int32, averageLoad: Double, exit: String) {
        self.pid = pid
        self.averageLoad = averageLoad
        self.exit = exit
    }
}

/// What the host and the workers did over one sample interval.
public struct CPUSample: Codable, Hashable, Sendable {
    /// Seconds since the attack started.
    public var elapsed: Double
    /// Load of each worker over the interval, 0...1 of a core.
    public var workerLoads: [Double]
    /// Cores busy in the whole scope (host or cgroup), ours included.
    public var scopeBusyCores: Double?
    /// The load workers were asked to run at for the next interval.
    public var targetPerWorker: Double

    public init(elapsed: Double, workerLoads: [Double], scopeBusyCores: Double?, targetPerWorker: Double) {
        self.elapsed = elapsed
        self.workerLoads = workerLoads
        self.scopeBusyCores = scopeBusyCores
        self.targetPerWorker = targetPerWorker
    }
}

/// Proof, checked after cleanup, that the attack left nothing behind.
public struct CleanupVerification: Codable, Hashable, Sendable {
    /// Milliseconds from the stop decision (deadline, signal) to every worker reaped.
    public var reapMilliseconds: Double
    public var workersReaped: Int
    public var cgroupsRemoved: [String]
    public var ledgerRecordRemoved: Bool
    /// Anything still there after cleanup; empty when the promise was kept.
    public var leftovers: [String]

    public init(reapMilliseconds: Double, workersReaped: Int, cgroupsRemoved: [String], ledgerRecordRemoved: Bool, leftovers: [String]) {
        self.reapMilliseconds = reapMilliseconds
        self.workersReaped = workersReaped
        self.cgroupsRemoved = cgroupsRemoved
        self.ledgerRecordRemoved = ledgerRecordRemoved
        self.leftovers = leftovers
    }

    public var isClean: Bool { leftovers.isEmpty }
}
