import FoundationEssentials
import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// Loads a file system's device: `workers` processes in the attack's cgroup,
/// each reading and writing a file of its own in `PATH/.stressd-fill-ID/`,
/// a folder recorded in the ledger before it exists and removed by the
/// same undo as a disk fill's. The supervisor opens the folder and hands
/// it to each worker as fd 3, so no worker walks a path; each reports its
/// totals up a pipe (`IOWorkerReport`), and the device's own counters
/// (/proc/diskstats) are read at the start and the end.
struct IODriver: AttackDriver {
    let spec: IOSpec
    /// The v1 hierarchy that accounts block I/O; v2 uses the unified one.
    let cgroupController: String? = "blkio"
    let holdsStateOutsideWorkers = true
    /// Deleting a written working set frees every block: about 1 ms per
    /// MiB on ext4 here (`rm` of 256 MiB takes 0.22-0.26 s with online
    /// discard); four times that, so a large one is not taken for a hang.
    var cleanupAllowance: Duration { .milliseconds(Int64(spec.bytesPerWorker >> 20) * Int64(spec.workers) * 4) }
    let sampleInterval: Duration = .milliseconds(250)
    /// `--path` and the working set's folder in it, as a fill's.
    let place: AttackFolder
    var parent: OpenDirectory { place.parent }
    private let procFS: ProcFS

    private var folder: FillDirectory?
    private var workers: [(process: WorkerProcess, reports: ReportPipe)] = []
    private var latest: [IOWorkerReport] = []
    private var measurements: IOMeasurements
    private var samples = BoundedSeries<IOMeasurements.Sample>(capacity: HostTimeline.capacity)
    /// The device's counters and when they were read (CLOCK_MONOTONIC).
    private var deviceBefore: (counters: DiskStats.Device, instant: UInt64)?
    private var deviceAfter: (counters: DiskStats.Device, instant: UInt64)?
    private var goInstant: UInt64 = 0
    private var lastSample: (instant: UInt64, bytes: UInt64, operations: UInt64) = (0, 0, 0)
    private var ticks = 0
    private(set) var undone = DriverUndo()

    init(spec: IOSpec, procFS: ProcFS) throws(AgentError) {
        self.spec = spec
        self.procFS = procFS
        place = try AttackFolder(path: spec.path)
        var requestedBytes: UInt64?
        var requestedOperations: UInt64?
        switch spec.pace {
        case .unlimited: break
        case .bytesPerSecond(let rate): requestedBytes = rate.bytes
        case .operationsPerSecond(let iops): requestedOperations = UInt64(iops)
        }
        measurements = IOMeasurements(
            path: spec.path, directory: "", requestedBytesPerSecond: requestedBytes, requestedOperationsPerSecond: requestedOperations,
            direct: spec.direct, workers: spec.workers, workingSetBytes: spec.bytesPerWorker * UInt64(spec.workers))
    }

    var watchedDirectories: [String: OpenDirectory] { [spec.path: parent] }

    func plan(_ session: AttackSession) {
        place.plan(session)
    }

    mutating func start(_ session: AttackSession) async throws(AgentError) {
        let folder = try place.create(session)
        self.folder = folder
        measurements.directory = folder.path.string
        deviceBefore = deviceCounters()
        let share = UInt64(spec.workers)
        var generator = SystemRandomNumberGenerator()
        for index in 0..<spec.workers {
            var job = IOWorkerJob(
                fileName: FillDirectory.fileName(index), bytes: spec.bytesPerWorker, blockBytes: Int(spec.blockSize.bytes),
                readFraction: spec.readShare.fraction, direct: spec.direct, sequential: spec.pattern == .sequential,
                seed: generator.next())
            switch spec.pace {
            case .unlimited: break
            case .bytesPerSecond(let rate): job.pace = .bytesPerSecond(max(rate.bytes / share, 1))
            case .operationsPerSecond(let iops): job.pace = .operationsPerSecond(max(UInt64(iops) / share, 1))
            }
            let reports: ReportPipe
            do {
                reports = try ReportPipe()
            } catch {
                throw .host(error)
            }
            let worker = try await session.spawnWorker(.io(job), standardOutput: reports.childEnd, passing: folder.descriptor)
            reports.closeChildEnd()
            // Side by side, so that `stop` after a failed start finds each
            // spawned worker's slot.
            workers.append((worker, reports))
            latest.append(IOWorkerReport())
        }
        for worker in workers { worker.process.control.send("go") }
        goInstant = MonotonicClock.now()
        lastSample = (goInstant, 0, 0)
    }

    mutating func tick(_ session: AttackSession) async -> DriverTick {
        ticks += 1
        for (index, worker) in workers.enumerated() {
            if let termination = worker.process.process.reapIfExited() {
                return DriverTick(
                    outcome: .failed(reason: "io worker \(worker.process.pid) \(termination) before the deadline (its message is on stderr or in the log)"),
                    progress: nil)
            }
            if let line = worker.reports.readLatest(), let report = IOWorkerReport(line: Substring(line)) {
                latest[index] = report
            }
        }
        guard ticks % 4 == 0 else { return DriverTick(outcome: nil, progress: nil) }
        let now = MonotonicClock.now()
        let bytes = latest.reduce(0) { $0 + $1.bytes }
        let operations = latest.reduce(0) { $0 + $1.operations }
        let seconds = Double(now - lastSample.instant) / 1e9
        guard seconds > 0 else { return DriverTick(outcome: nil, progress: nil) }
        let sample = IOMeasurements.Sample(
            elapsed: Double(now - goInstant) / 1e9, bytesPerSecond: Double(bytes &- lastSample.bytes) / seconds,
            operationsPerSecond: Double(operations &- lastSample.operations) / seconds)
        samples.append(sample)
        lastSample = (now, bytes, operations)
        let laidOut = latest.allSatisfy { $0.layoutNanoseconds > 0 }
        let line = laidOut
            ? "\(ByteCount(bytes: UInt64(sample.bytesPerSecond)))/s, \(Int(sample.operationsPerSecond.rounded())) IOPS"
            : "laying out the \(ByteCount(bytes: measurements.workingSetBytes)) working set"
        return DriverTick(
            outcome: nil, progress: line,
            level: AttackLevel(
                unit: "bytes_per_second", requested: measurements.requestedBytesPerSecond.map(Double.init), achieved: sample.bytesPerSecond))
    }

    /// Kills and reaps the workers first (they hold the files open and may
    /// still be making them), then deletes the folder through the
    /// descriptors it was made with, as a fill's.
    mutating func stop(_ session: AttackSession) {
        for (index, worker) in workers.enumerated() {
            worker.process.kill()
            _ = worker.process.process.reap()
            if let line = worker.reports.readLatest(), let report = IOWorkerReport(line: Substring(line)) {
                latest[index] = report
            }
            worker.reports.close()
        }
        workers = []
        deviceAfter = deviceCounters()
        guard let folder else { return }
        do {
            try folder.remove()
            undone.removedFillFolders.append(folder.path.string)
        } catch {
            undone.leftovers.append(error.description)
        }
    }

    func measurements(into report: inout AttackReport) {
        var io = measurements
        io.samples = samples.elements
        var latency = LatencyHistogram()
        for worker in latest {
            io.readOperations += worker.totals.readOperations
            io.writeOperations += worker.totals.writeOperations
            io.readBytes += worker.totals.readBytes
            io.writtenBytes += worker.totals.writtenBytes
            latency.merge(worker.totals.latency)
        }
        io.direct = !latest.isEmpty && latest.allSatisfy(\.direct)
        io.layoutSeconds = Double(latest.map(\.layoutNanoseconds).max() ?? 0) / 1e9
        io.loadSeconds = Double(latest.map(\.totals.elapsedNanoseconds).max() ?? 0) / 1e9
        if io.loadSeconds > 0 {
            io.bytesPerSecond = Double(io.readBytes + io.writtenBytes) / io.loadSeconds
            io.operationsPerSecond = Double(io.readOperations + io.writeOperations) / io.loadSeconds
        }
        io.latencyP50Microseconds = latency.percentile(50).map { Double($0) / 1e3 }
        io.latencyP99Microseconds = latency.percentile(99).map { Double($0) / 1e3 }
        io.latencyMaxMicroseconds = latency.max.map { Double($0) / 1e3 }
        if let before = deviceBefore, let after = deviceAfter, before.counters.name == after.counters.name {
            io.deviceName = after.counters.name
            io.deviceReadBytes = after.counters.readBytes &- before.counters.readBytes
            io.deviceWrittenBytes = after.counters.writtenBytes &- before.counters.writtenBytes
            let milliseconds = Double(after.instant &- before.instant) / 1e6
            if milliseconds > 0 {
                let busy = Double(after.counters.ioTicksMilliseconds &- before.counters.ioTicksMilliseconds)
                io.deviceBusyPercent = min(100, busy / milliseconds * 100)
            }
        }
        report.io = io
    }

    /// The counters of the device `--path` is on; nil where it has none.
    private func deviceCounters() -> (counters: DiskStats.Device, instant: UInt64)? {
        (try? procFS.diskStats(forFileAt: parent.descriptor))?.flatMap { ($0, MonotonicClock.now()) }
    }
}
