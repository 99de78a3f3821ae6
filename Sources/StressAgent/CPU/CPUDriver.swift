import FoundationEssentials
import Glibc
import LinuxHost
import StressCore

/// Burns CPU: one `stressd worker cpu` per core, each holding its load with
/// a closed loop; measured from the workers' own /proc/PID/stat. In `total`
/// mode the workers are retargeted each sample so the whole scope sits at
/// the requested utilisation.
struct CPUDriver: AttackDriver {
    let spec: CPUSpec
    let capacity: CPUCapacity
    var meter: (any CPUScopeMeter)?
    let cgroupController: String? = "cpu"
    let sampleInterval: Duration = .seconds(1)

    private var workers: [WorkerProcess] = []
    private var controller: TotalLoadController
    /// The load each worker starts at: the request, scaled to a quota; in
    /// `total` mode, as if the rest of the scope were idle.
    let requestedLoadPerWorker: Double
    private var target: Double
    /// CPU ticks at `go` and at the previous sample, per worker.
    private var startTicks: [UInt64] = []
    private var previousTicks: [UInt64] = []
    private var goInstant: UInt64 = 0
    private var previousInstant: UInt64 = 0
    private var samples = BoundedSeries<CPUSample>(capacity: HostTimeline.capacity)
    private var ended: [WorkerSummary] = []

    /// `meter` measures the scope `total` tops up (the host, or the cgroup
    /// whose quota binds stressd); nil for `added`, which measures nothing.
    init(spec: CPUSpec, capacity: CPUCapacity, meter: (any CPUScopeMeter)?) {
        self.spec = spec
        self.capacity = capacity
        self.meter = meter
        controller = TotalLoadController(
            target: spec.load.fraction, capacity: capacity.cores, workers: spec.workerCount(capacity: capacity))
        switch spec.mode {
        case .added: requestedLoadPerWorker = spec.loadPerWorker(capacity: capacity)
        case .total: requestedLoadPerWorker = controller.initialLoadPerWorker
        }
        target = requestedLoadPerWorker
    }

    mutating func start(_ session: AttackSession) async throws(AgentError) {
        let pinned = spec.pinnedCPUs
        for index in 0..<spec.workerCount(capacity: capacity) {
            workers.append(try await session.spawnWorker(.cpu(load: target, cpu: pinned?[index])))
        }
        startTicks = cpuTicks(session)
        previousTicks = startTicks
        _ = meter?.busyCoresSinceLastCall()
        goInstant = MonotonicClock.now()
        previousInstant = goInstant
        workers.forEach { $0.control.send("go") }
    }

    mutating func tick(_ session: AttackSession) async -> DriverTick {
        for worker in workers {
            if let termination = worker.process.reapIfExited() {
                return DriverTick(outcome: .failed(reason: "worker \(worker.pid) \(termination) before the deadline"), progress: "")
            }
        }
        let ticks = cpuTicks(session)
        let instant = MonotonicClock.now()
        guard let loads = Self.loads(from: previousTicks, to: ticks, seconds: Double(instant - previousInstant) / 1e9) else {
            return DriverTick(outcome: nil, progress: nil)
        }
        let scopeBusy = meter?.busyCoresSinceLastCall()
        if spec.mode == .total, let scopeBusy {
            target = controller.update(scopeBusyCores: scopeBusy, workersBusyCores: loads.reduce(0, +))
            for worker in workers { worker.control.send("load \(target)") }
        }
        samples.append(CPUSample(
            elapsed: Double(instant - goInstant) / 1e9, workerLoads: loads, scopeBusyCores: scopeBusy, targetPerWorker: target))
        previousTicks = ticks
        previousInstant = instant
        var line = "load per core: " + loads.map { $0.percent(1) }.joined(separator: " ") + "  (target \(target.percent(1)))"
        if let scopeBusy, let meter { line += "  \(meter.scope) busy: \(scopeBusy.fixed(2)) cores" }
        return DriverTick(
            outcome: nil, progress: line,
            level: AttackLevel(unit: "cores", requested: target * Double(loads.count), achieved: loads.reduce(0, +)))
    }

    mutating func stop(_ session: AttackSession) {
        workers.forEach { $0.kill() }
        let wall = Double(MonotonicClock.now() - goInstant) / 1e9
        let finalTicks = cpuTicks(session)
        ended = workers.enumerated().map { index, worker in
            let used = index < startTicks.count && index < finalTicks.count ? finalTicks[index] &- startTicks[index] : 0
            let termination = worker.process.reap()
            return WorkerSummary(
                pid: worker.pid,
                averageLoad: wall > 0 ? Double(used) / SystemConstants.clockTicksPerSecond / wall : 0,
                exit: termination.map { $0 == .signaled(signal: SIGKILL) ? "stopped by supervisor" : $0.description } ?? "already reaped")
        }
        workers = []
    }

    func measurements(into report: inout AttackReport) {
        report.cpu = CPUMeasurements(requestedLoadPerWorker: requestedLoadPerWorker, workers: ended, samples: samples.elements)
    }

    /// Each worker's CPU time; a killed worker stays a zombie until reaped
    /// and its stat keeps the final count.
    private func cpuTicks(_ session: AttackSession) -> [UInt64] {
        workers.map { (try? session.environment.procFS.processStat($0.pid))?.cpuTicks ?? 0 }
    }

    /// Each worker's load over an interval of `seconds`, in cores; nil when
    /// no time passed, which has no load to measure (dividing by it would
    /// put NaN in the report, which JSON cannot carry), so the tick is
    /// skipped and the next one measures the whole interval.
    static func loads(from earlier: [UInt64], to later: [UInt64], seconds: Double) -> [Double]? {
        guard seconds > 0 else { return nil }
        return zip(later, earlier).map { Double($0 &- $1) / SystemConstants.clockTicksPerSecond / seconds }
    }
}
