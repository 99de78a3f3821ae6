import FoundationEssentials
import LinuxHost
import Logging
import StressCore
import SystemPackage

/// Runs many attacks at once for the long-lived service: starts them,
/// stops them, expires their leases and keeps their reports. `run()` is the
/// service body; every attack is a child task of it, so shutting the
/// service down stops and cleans up every attack before `run()` returns.
/// What it does is logged through the `logger` it is given, with each
/// attack's id and kind as metadata (see `AgentLog`).
public actor Agent {
    struct Running {
        var spec: AttackSpec
        var stop: StopRequest
        var progress: LatestProgress
        var lease: Duration?
        /// On `clock`'s time line.
        var leaseDeadline: Duration?
        var guards: Guard
        /// The file system it writes to (a fill's), read when it was admitted:
        /// renaming its path later must not let a second one onto the same disk.
        var writtenDevice: UInt64?
    }

    /// A finished attack as the agent keeps it: its line of the list, and
    /// its report only when the state directory could not keep it. A
    /// report holds up to 600 timeline samples (~200 KB); 256 of them in
    /// memory would be most of the agent's, so a saved one is read back
    /// from the state directory when asked for.
    struct Finished {
        var summary: AttackSummary
        var unsaved: AttackReport?
    }

    private struct Launch: Sendable {
        var supervisor: AttackSupervisor
        var stop: StopRequest
        var progress: LatestProgress
    }

    let environment: AgentEnvironment
    private let log: AgentLog
    public let maxConcurrent: Int
    /// Finished attacks listed, newest first out last: a long-lived
    /// agent's memory and its attack list stay bounded, whatever a client
    /// runs. Older reports stay in the state directory (`/v1/reports/{id}`).
    public let finishedKept: Int
    let clock: AgentClock
    private(set) var running: [AttackID: Running] = [:]
    private(set) var finished: [AttackID: Finished] = [:]
    /// The ids in `finished`, oldest first.
    private var finishedOrder: [AttackID] = []
    private(set) var recovered: [AttackID: UndoResult] = [:]
    private let metrics: AgentMetrics
    /// Given each attack's report as it ends: the stops and halts waiting for it.
    private var waiting: [AttackID: [@Sendable (AttackReport) -> Void]] = [:]
    private let launches: AsyncStream<Launch>
    private let launchQueue: AsyncStream<Launch>.Continuation
    /// Rung when a lease starts or is renewed: the lease loop sleeps until
    /// the next one is due, and an agent with none sleeps until rung.
    private let leaseChanged = Doorbell()
    /// Given the number of attacks running each time one starts or ends:
    /// the service shows it in systemd's STATUS, and at 0 gives back memory
    /// it only needed while attacks ran.
    private let runningChanged: @Sendable (Int) -> Void

    /// `logger` defaults to one that drops everything, so tests and
    /// embedders stay quiet unless they ask.
    public init(
        environment: AgentEnvironment, maxConcurrent: Int = 8, finishedKept: Int = 256,
        logger: Logger = Logger(label: "stressd.agent", factory: { _ in SwiftLogNoOpLogHandler() }),
        clock: AgentClock = .monotonic, metrics: AgentMetrics = AgentMetrics(),
        runningChanged: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.environment = environment
        self.runningChanged = runningChanged
        self.metrics = metrics
        self.clock = clock
        self.maxConcurrent = maxConcurrent
        self.finishedKept = max(finishedKept, 1)
        self.log = AgentLog(logger: logger)
        (launches, launchQueue) = AsyncStream.makeStream(of: Launch.self)
    }

    /// The service body. Replays the ledger (undoing what a crash left),
    /// calls `ready`, then runs every attack `start` hands it until the
    /// calling task is cancelled; then every attack is stopped and cleaned
    /// up before this returns.
    ///
    /// `heartbeat` is called from the agent's own loop once per its
    /// interval (see `Heartbeat`); without one, an agent with no leases to
    /// watch does no periodic work at all.
    public func run(ready: @Sendable () -> Void = {}, heartbeat: Heartbeat? = nil) async throws(AgentError) {
        // However it ends (a failed replay too), nothing runs launches after.
        defer { launchQueue.finish() }
        let undone = try environment.replay.undoOrphans()
        for result in undone {
            recovered[result.id] = result
        }
        metrics.recovered(undone)
        log.replayed(undone)
        ready()
        let launches = self.launches
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.expireLeases(heartbeat: heartbeat) }
            for await launch in launches {
                group.addTask {
                    let finished: FinishedAttack
                    do {
                        finished = try await launch.supervisor.run(stop: launch.stop) { launch.progress.set($0) }
                    } catch {
                        finished = FinishedAttack(
                            saving: AttackReport.failedToStart(launch.supervisor, reason: "\(error)"),
                            in: self.environment.reports)
                    }
                    await self.finish(finished)
                }
            }
            group.cancelAll()
        }
    }

    /// How many attacks cleanup watchdogs have undone with this agent's
    /// state directory, its own and earlier runs' (see `WatchdogTally`);
    /// nil when the tally cannot be read.
    public nonisolated func watchdogUndos() -> UInt64? {
        environment.watchdogTally.count()
    }

    /// Validates and starts an attack under the agent's safety policy, made
    /// stricter by `stricter` for this attack alone; returns its id at once.
    /// With a lease, the attack stops unless `renewLease` is called within
    /// it: an orchestrator that goes away never leaves a host burning.
    public func start(_ spec: AttackSpec, lease: Duration? = nil, stricter: StricterPolicy = StricterPolicy()) async throws(AgentError) -> AttackID {
        do {
            let id = try await admit(spec, lease: lease, stricter: stricter)
            log.started(id, spec: spec, lease: lease, stricter: stricter)
            return id
        } catch {
            log.refused(spec, error: error)
            throw error
        }
    }

    /// What starting `spec` would do now (`AttackPlan`), admitted as a start
    /// would be, with the same refusals for bad input; starts nothing.
    public func plan(_ spec: AttackSpec, lease: Duration? = nil, stricter: StricterPolicy = StricterPolicy()) async throws(AgentError) -> AttackPlan {
        let environment = self.environment
        let admission = try await AttackAdmission(
            spec, policy: environment.policy, stricter: stricter, lease: lease, forPlan: true, procFS: environment.procFS,
            cgroupFS: environment.cgroupFS
        ) { () throws(HostError) in try environment.hostLimits() }
        return admission.plan(procFS: environment.procFS)
    }

    /// Admits `spec` (`AttackAdmission`, as the CLI does), checks it
    /// against what runs, then hands it to the service body.
    private func admit(_ spec: AttackSpec, lease: Duration?, stricter: StricterPolicy) async throws(AgentError) -> AttackID {
        let environment = self.environment
        let admission = try await AttackAdmission(
            spec, policy: environment.policy, stricter: stricter, lease: lease, procFS: environment.procFS,
            cgroupFS: environment.cgroupFS
        ) { () throws(HostError) in try environment.hostLimits() }
        // What runs is checked after the survey: the actor served other
        // requests while it ran.
        guard running.count < maxConcurrent else {
            throw .conflict("\(running.count) attacks are running, the most this agent allows; stop one first")
        }
        let writtenPath = spec.parameters.engine.writtenPath
        let writtenDevice = writtenPath.flatMap(Self.device(of:))
        if let writtenPath, let writtenDevice, let other = running.first(where: { $0.value.writtenDevice == writtenDevice }),
           let otherPath = other.value.spec.parameters.engine.writtenPath {
            throw .conflict(
                "\(other.key) (\(other.value.spec.kind.rawValue)) is already writing to the file system of \(writtenPath) "
                    + "(through \(otherPath)); stop it first")
        }
        var generator = SystemRandomNumberGenerator()
        let id = AttackID(kind: spec.kind, using: &generator)
        let stop = StopRequest()
        let progress = LatestProgress()
        var supervisor = AttackSupervisor(
            id: id, spec: spec, limits: admission.limits, environment: environment, policy: admission.policy)
        supervisor.clock = clock
        running[id] = Running(
            spec: spec, stop: stop, progress: progress, lease: lease,
            leaseDeadline: lease.map { clock.now() + $0 }, guards: supervisor.guardRails, writtenDevice: writtenDevice)
        // Once the service body has stopped taking launches (it is shutting
        // down) nothing would ever run this one, nor answer a stop of it.
        guard case .enqueued = launchQueue.yield(Launch(supervisor: supervisor, stop: stop, progress: progress)) else {
            running[id] = nil
            throw .shuttingDown
        }
        if lease != nil { leaseChanged.ring() }
        runningChanged(running.count)
        return id
    }

    /// The device of the file system `path` is on: fills conflict on it,
    /// not on the path string (`/x` and `/x/.` are one disk, and two fills
    /// there would each leave the other's floor to chance).
    private static func device(of path: String) -> UInt64? {
        try? OpenDirectory.open(FilePath(path), followingLastLink: true).identity().device
    }

    /// Extends the lease by its length from now.
    public func renewLease(_ id: AttackID) throws(AgentError) {
        guard var attack = running[id] else { throw notRunning(id) }
        guard let lease = attack.lease else { throw .conflict("\(id) was started without a lease") }
        attack.leaseDeadline = clock.now() + lease
        running[id] = attack
        leaseChanged.ring()
    }

    /// Stops one attack and returns its report once it is cleaned up; a
    /// finished attack's report is read back as it was saved
    /// (`unknownReport` once the retention deleted it).
    public func stop(_ id: AttackID, reason: String = "stopped through the API") async throws(AgentError) -> AttackReport {
        if let done = finished[id] { return try report(of: id, done) }
        guard let attack = running[id] else { throw notRunning(id) }
        attack.stop.request(reason)
        return await withCheckedContinuation { continuation in
            waiting[id, default: []].append { continuation.resume(returning: $0) }
        }
    }

    /// The big red button: stops every running attack, or with a filter
    /// only those carrying its labels (an experiment's own).
    public func haltAll(matching filter: AttackFilter = AttackFilter(), reason: String = "halted through the API") async -> [AttackReport] {
        let chosen = running.filter { filter.matches(state: .running, labels: $0.value.spec.labels) }.keys.sorted()
        log.haltingAll(count: chosen.count, labels: filter.labels, reason: reason)
        guard !chosen.isEmpty else { return [] }
        // Every report is asked for before the first wait: one that ends
        // while another is awaited comes from memory, not read back from a
        // state directory whose retention may have let it go.
        let (reports, collected) = AsyncStream<AttackReport>.makeStream()
        for id in chosen {
            waiting[id, default: []].append { collected.yield($0) }
            running[id]?.stop.request(reason)
        }
        var halted: [AttackReport] = []
        for await report in reports {
            halted.append(report)
            if halted.count == chosen.count { break }
        }
        return halted.sorted { $0.id < $1.id }
    }

    private func finish(_ finished: FinishedAttack) {
        let report = finished.report
        // Saved on disk too, so `stressd report ID` and /v1/reports outlive
        // the agent; if that failed the report is still served from memory.
        if case .failure(let error) = finished.saved {
            log.reportNotSaved(report.id, kind: report.spec.kind, error: error)
        }
        metrics.record(report)
        log.ended(report)
        running[report.id] = nil
        let unsaved: AttackReport? = if case .failure = finished.saved { report } else { nil }
        self.finished[report.id] = Finished(summary: AttackSummary(AgentAttack(finished: report)), unsaved: unsaved)
        finishedOrder.append(report.id)
        if finishedOrder.count > finishedKept {
            self.finished[finishedOrder.removeFirst()] = nil
        }
        for waiter in waiting.removeValue(forKey: report.id) ?? [] {
            waiter(report)
        }
        runningChanged(running.count)
    }

    /// Stops attacks whose lease ran out, until the service shuts down.
    /// It sleeps until the next lease is due or the next heartbeat, woken
    /// early when a lease starts or is renewed, so it costs nothing while
    /// no attack runs.
    private func expireLeases(heartbeat: Heartbeat?) async {
        var lastBeat: Duration?
        while !Task.isCancelled {
            let now = clock.now()
            if let heartbeat, lastBeat.map({ now - $0 >= heartbeat.interval }) ?? true {
                heartbeat.beat()
                lastBeat = now
            }
            for (id, attack) in running {
                if let deadline = attack.leaseDeadline, deadline <= now, attack.stop.requestedReason == nil {
                    attack.stop.request("lease expired")
                    log.leaseExpired(id, kind: attack.spec.kind, lease: attack.lease)
                }
            }
            let nextLease = running.values.filter { $0.stop.requestedReason == nil }.compactMap { $0.leaseDeadline }.min()
            let nextBeat = heartbeat.flatMap { heartbeat in lastBeat.map { $0 + heartbeat.interval } }
            await leaseChanged.wait(until: [nextLease, nextBeat].compactMap { $0 }.min(), on: clock)
        }
    }
}
