/// What a CPU attack achieved, measured from its workers' own /proc/PID/stat.
public struct CPUMeasurements: Codable, Hashable, Sendable {
    /// The load each worker was asked to run at, 0...1 of a core (in `total`
    /// mode, the initial value).
    public var requestedLoadPerWorker: Double
    public var workers: [WorkerSummary]
    /// One sample per interval while the attack ran.
    public var samples: [CPUSample]

    public init(requestedLoadPerWorker: Double, workers: [WorkerSummary], samples: [CPUSample]) {
        self.requestedLoadPerWorker = requestedLoadPerWorker
        self.workers = workers
        self.samples = samples
    }
}

/// One worker over the whole attack.
public struct WorkerSummary: Codable, Hashable, Sendable {
    public var pid: Int32
    /// CPU time used divided by wall time it ran, 0...1 of a core.
    public var averageLoad: Double
    /// How the worker ended: `stopped by supervisor`, `killed by signal 9`…
    public var exit: String

    public init(pid: Int32, averageLoad: Double, exit: String) {
        self.pid = pid
        self.averageLoad = averageLoad
        self.exit = exit
    }
}

/// What the workers (and the scope) did over one sample interval.
public struct CPUSample: Codable, Hashable, Sendable {
    /// Seconds since the workers started.
    public var elapsed: Double
    /// Load of each worker over the interval, 0...1 of a core.
    public var workerLoads: [Double]
    /// Cores busy in the whole scope (host or cgroup), ours included; `total` mode only.
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
