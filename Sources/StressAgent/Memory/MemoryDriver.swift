import FoundationEssentials
import Glibc
import LinuxHost
import StressCore

/// Holds memory resident: one `stressd worker mem` in the attack's memory
/// cgroup, which the kernel kills first (oom_score_adj 1000). Measures the
/// hog's RSS and the scope's available memory four times a second; in
/// `fill-to` mode resizes the hog so the scope stays at the requested level
/// without crossing the floor. An OOM kill ends the attack as `oom-killed`,
/// or, with `--respawn`, starts a new hog within the time box.
struct MemoryDriver: AttackDriver {
    let spec: MemorySpec
    let capacity: MemoryCapacity
    let floorBytes: UInt64
    let cgroupController: String? = "memory"
    let sampleInterval: Duration = .milliseconds(250)
    /// A fill-to hog is resized only when the target moved by more than this.
    let resizeThreshold: UInt64 = 16 << 20

    private var worker: WorkerProcess?
    private var target: UInt64 = 0
    private var firstTarget: UInt64 = 0
    private var goInstant: UInt64 = 0
    /// The hog's RSS before it allocates (its runtime and code): not part of what it holds.
    private var baselineResident: UInt64 = 0
    private var peakHeld: UInt64 = 0
    private var secondsToTarget: Double?
    private var oomKills: [OOMKill] = []
    /// The attack cgroup's oom_kill count when last looked at.
    private var cgroupOOMKills: UInt64 = 0
    private var availableBefore: UInt64 = 0
    private var availableLowest: UInt64 = .max
    /// Kept from `stop` to measure, after cleanup, the memory that came back.
    private var memoryGauge: MemoryGauge?
    private var samples = BoundedSeries<MemorySample>(capacity: HostTimeline.capacity)
    private var ticks = 0
    /// What the supervisor asks for: low, but not exempt (-1000), so a
    /// runaway supervisor could still be stopped by the kernel.
    static let supervisorOOMScore: Int32 = -900
    private var supervisorOOMScore: Int32?
    private var supervisorOOMScoreNote: String?

    init(spec: MemorySpec, capacity: MemoryCapacity, policy: SafetyPolicy) {
        self.spec = spec
        self.capacity = capacity
        floorBytes = policy.memoryFloorBytes(limit: capacity.limit)
    }

    mutating func start(_ session: AttackSession) async throws(AgentError) {
        // The kernel should kill the hog, never the supervisor that undoes it.
        // Lowering needs CAP_SYS_RESOURCE; without it the hog's 1000 still
        // makes it the first choice, and the report says so.
        let procFS = session.environment.procFS
        do {
            try procFS.setOOMScoreAdjustment(Self.supervisorOOMScore)
        } catch {
            supervisorOOMScoreNote = "could not lower it to \(Self.supervisorOOMScore) (\(error)); "
                + "that needs CAP_SYS_RESOURCE, and the hog's 1000 still makes the hog the kernel's first choice"
        }
        supervisorOOMScore = try? procFS.oomScoreAdjustment()
        let now = (try? session.environment.memoryGauge().read()) ?? capacity
        availableBefore = now.available
        availableLowest = now.available
        target = clampedToFloor(spec.targetBytes(now), capacity: now, hogBytes: 0)
        firstTarget = target
        try await spawnHog(session)
    }

    private mutating func spawnHog(_ session: AttackSession) async throws(AgentError) {
        let hog = try await session.spawnWorker(.memory(bytes: target, ratePerSecond: spec.ratePerSecond?.bytes, lock: spec.lock))
        baselineResident = residentBytes(of: hog, session)
        goInstant = MonotonicClock.now()
        hog.control.send("go")
        worker = hog
    }

    mutating func tick(_ session: AttackSession) async -> DriverTick {
        ticks += 1
        guard let hog = worker else { return DriverTick(outcome: .failed(reason: "no hog running"), progress: nil) }
        if let termination = hog.process.reapIfExited() {
            return await handleExit(termination, of: hog, session: session)
        }
        let resident = residentBytes(of: hog, session)
        let held = resident > baselineResident ? resident - baselineResident : 0
        peakHeld = max(peakHeld, held)
        let elapsed = Double(MonotonicClock.now() - goInstant) / 1e9
        if secondsToTarget == nil, target > 0, Double(held) >= Double(target) * 0.99 {
            secondsToTarget = elapsed
        }
        if let now = try? session.environment.memoryGauge().read() {
            availableLowest = min(availableLowest, now.available)
            if case .fillTo = spec.amount {
                let wanted = clampedToFloor(spec.targetBytes(now, hogBytes: resident), capacity: now, hogBytes: resident)
                if wanted > target + resizeThreshold || wanted + resizeThreshold < target {
                    target = wanted
                    hog.control.send("size \(target)")
                }
            }
        }
        samples.append(MemorySample(elapsed: session.elapsed, residentBytes: held, targetBytes: target))
        guard ticks % 4 == 0 else { return DriverTick(outcome: nil, progress: nil) }
        return DriverTick(
            outcome: nil,
            progress: "hog pid \(hog.pid) holds \(ByteCount(bytes: held)) of \(ByteCount(bytes: target))"
                + (oomKills.isEmpty ? "" : ", \(oomKills.count) OOM kill(s)"),
            level: AttackLevel(unit: "bytes", requested: Double(target), achieved: Double(held)))
    }

    /// The hog died on its own. SIGKILL we did not send is the OOM killer's
    /// when the cgroup's oom_kill count went up; when the count is kept and
    /// did not move, someone else killed it (a failure, not an OOM kill);
    /// without a count, presumably the OOM killer.
    private mutating func handleExit(
        _ termination: ChildProcess.Termination, of hog: WorkerProcess, session: AttackSession
    ) async -> DriverTick {
        worker = nil
        guard termination == .signaled(signal: SIGKILL) else {
            return DriverTick(outcome: .failed(reason: "the hog (pid \(hog.pid)) \(termination)"), progress: nil)
        }
        let count = (try? session.cgroup?.oomKills()) ?? nil
        let confirmed = count.map { $0 > cgroupOOMKills } ?? false
        if count != nil, !confirmed {
            return DriverTick(
                outcome: .failed(reason: "the hog (pid \(hog.pid)) was killed with SIGKILL by another process "
                    + "at \(session.elapsed.fixed(1))s (not the OOM killer: the cgroup's oom_kill count did not change)"),
                progress: nil)
        }
        cgroupOOMKills = count ?? cgroupOOMKills
        oomKills.append(OOMKill(elapsed: session.elapsed, pid: hog.pid))
        let reason = "the kernel killed the hog (pid \(hog.pid)) at \(session.elapsed.fixed(1))s"
            + (confirmed ? " (the cgroup's oom_kill count confirms it)" : " with SIGKILL, presumably the OOM killer")
        guard spec.respawn, !session.isPastDeadline else {
            return DriverTick(outcome: .oomKilled(reason: reason), progress: nil)
        }
        do {
            try await spawnHog(session)
        } catch {
            return DriverTick(outcome: .failed(reason: "\(reason); respawning failed: \(error)"), progress: nil)
        }
        return DriverTick(outcome: nil, progress: "\(reason); respawned as pid \(worker?.pid ?? 0)")
    }

    private func residentBytes(of hog: WorkerProcess, _ session: AttackSession) -> UInt64 {
        ((try? session.environment.procFS.processStat(hog.pid))?.residentPages ?? 0) * SystemConstants.pageSize
    }

    /// Never hold so much that available memory would drop below the floor.
    private func clampedToFloor(_ wanted: UInt64, capacity: MemoryCapacity, hogBytes: UInt64) -> UInt64 {
        let room = capacity.available > floorBytes ? capacity.available - floorBytes : 0
        return min(wanted, hogBytes + room)
    }

    mutating func stop(_ session: AttackSession) {
        if let hog = worker {
            hog.kill()
            _ = hog.process.reap()
            worker = nil
        }
        memoryGauge = try? session.environment.memoryGauge()
    }

    func measurements(into report: inout AttackReport) {
        // One reading, no waiting for it to come back: the hog's pages were
        // freed before it was reaped, its cgroup uncharged at once, and a
        // stop must end the process at once (a wait for the host's counters
        // to settle cost up to 20 ms of every SIGTERM, bench/stop_latency.py).
        let availableAfter = (try? memoryGauge?.read())?.available
        report.memory = MemoryMeasurements(
            targetBytes: firstTarget, peakHeldBytes: peakHeld, secondsToTarget: secondsToTarget,
            locked: spec.lock, oomKills: oomKills, availableBeforeBytes: availableBefore,
            availableLowestBytes: min(availableLowest, availableBefore), availableAfterBytes: availableAfter, samples: samples.elements,
            supervisorOOMScoreAdjustment: supervisorOOMScore, supervisorOOMScoreNote: supervisorOOMScoreNote)
    }
}
