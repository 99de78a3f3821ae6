import FoundationEssentials

/// The record of one attack a user keeps: what was asked, what the host did,
/// how it ended and proof that nothing was left behind. Written as JSON
/// (`--json`, `--report FILE`) and kept in the state directory.
public struct AttackReport: Codable, Hashable, Sendable {
    public var id: AttackID
    public var spec: AttackSpec
    public var startedAt: Date
    public var endedAt: Date
    public var outcome: AttackOutcome
    /// The floors the attack was held to, in bytes as they were at its
    /// start: the blast radius the operator allowed. nil in reports saved
    /// before stressd recorded it.
    public var guards: Guard?
    /// What the attack itself achieved; one of these is set, by kind.
    public var cpu: CPUMeasurements?
    public var memory: MemoryMeasurements?
    public var disk: DiskMeasurements?
    public var processes: ProcessMeasurements?
    public var io: IOMeasurements?
    /// The host while the attack ran: four times a second, thinned evenly
    /// for long attacks (`BoundedSeries`), and once more after cleanup.
    public var timeline: [HostSample]
    /// Seconds from the start to the decision to end it (the deadline, a
    /// stop request, a guard trip, an abort): the attack's window on a
    /// chart; cleanup came after. nil in reports saved before stressd
    /// recorded it, and when the attack did not start.
    public var stoppedAfterSeconds: Double?
    /// Each abort condition's evaluations while the attack ran; nil when
    /// it had none.
    public var abortConditions: [ConditionTimeline]?
    public var cleanup: CleanupVerification

    public init(
        id: AttackID, spec: AttackSpec, startedAt: Date, endedAt: Date, outcome: AttackOutcome, guards: Guard? = nil,
        cpu: CPUMeasurements? = nil, memory: MemoryMeasurements? = nil, disk: DiskMeasurements? = nil, timeline: [HostSample], cleanup: CleanupVerification
    ) {
        self.id = id
        self.spec = spec
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.guards = guards
        self.cpu = cpu
        self.memory = memory
        self.disk = disk
        self.timeline = timeline
        self.cleanup = cleanup
    }
}

/// The host as a guard and a chart see it, at one instant of an attack.
/// Rates (CPU busy, pressure) are over the time since the sample before.
/// Fields after `loadAverage1` are nil in reports saved before stressd
/// recorded them, and when the host could not give them.
public struct HostSample: Codable, Hashable, Sendable {
    /// Seconds since the attack started.
    public var elapsed: Double
    /// What a new allocation can get (MemAvailable, or what the cgroup limit leaves).
    public var memoryAvailableBytes: UInt64?
    public var loadAverage1: Double?
    /// Percent of all online CPUs' time spent busy (/proc/stat).
    public var cpuBusyPercent: Double?
    /// Percent of the time at least one task stalled waiting for the
    /// resource (PSI `some`, from its running total): 4 Hz, where the
    /// kernel's own averages span 10 s.
    public var cpuPressurePercent: Double?
    public var memoryPressurePercent: Double?
    public var ioPressurePercent: Double?
    /// Free space on each path a disk floor watches.
    public var diskAvailableBytes: [String: UInt64]?

    public init(
        elapsed: Double, memoryAvailableBytes: UInt64?, loadAverage1: Double?, cpuBusyPercent: Double? = nil,
        cpuPressurePercent: Double? = nil, memoryPressurePercent: Double? = nil, ioPressurePercent: Double? = nil,
        diskAvailableBytes: [String: UInt64]? = nil
    ) {
        self.elapsed = elapsed
        self.memoryAvailableBytes = memoryAvailableBytes
        self.loadAverage1 = loadAverage1
        self.cpuBusyPercent = cpuBusyPercent
        self.cpuPressurePercent = cpuPressurePercent
        self.memoryPressurePercent = memoryPressurePercent
        self.ioPressurePercent = ioPressurePercent
        self.diskAvailableBytes = diskAvailableBytes
    }
}

/// Proof, checked after cleanup, that the attack left nothing behind.
public struct CleanupVerification: Codable, Hashable, Sendable {
    /// Milliseconds from the stop decision (deadline, signal, guard) to every worker reaped.
    public var reapMilliseconds: Double
    public var workersReaped: Int
    public var cgroupsRemoved: [String]
    public var fillFoldersRemoved: [String]
    public var ledgerRecordRemoved: Bool
    /// Anything still there after cleanup; empty when the promise was kept.
    public var leftovers: [String]
    /// Which layer did this cleanup.
    public var undoneBy: CleanupLayer

    public init(
        reapMilliseconds: Double, workersReaped: Int, cgroupsRemoved: [String], fillFoldersRemoved: [String] = [],
        ledgerRecordRemoved: Bool, leftovers: [String], undoneBy: CleanupLayer = .supervisor
    ) {
        self.reapMilliseconds = reapMilliseconds
        self.workersReaped = workersReaped
        self.cgroupsRemoved = cgroupsRemoved
        self.fillFoldersRemoved = fillFoldersRemoved
        self.ledgerRecordRemoved = ledgerRecordRemoved
        self.leftovers = leftovers
        self.undoneBy = undoneBy
    }

    /// Reports written before layers were named were all the supervisor's.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reapMilliseconds = try container.decode(Double.self, forKey: .reapMilliseconds)
        workersReaped = try container.decode(Int.self, forKey: .workersReaped)
        cgroupsRemoved = try container.decode([String].self, forKey: .cgroupsRemoved)
        fillFoldersRemoved = try container.decode([String].self, forKey: .fillFoldersRemoved)
        ledgerRecordRemoved = try container.decode(Bool.self, forKey: .ledgerRecordRemoved)
        leftovers = try container.decode([String].self, forKey: .leftovers)
        undoneBy = try container.decodeIfPresent(CleanupLayer.self, forKey: .undoneBy) ?? .supervisor
    }

    public var isClean: Bool { leftovers.isEmpty }
}
