/// What a memory attack achieved: how much it held, how fast it got there,
/// what the kernel did about it, and whether the host got its memory back.
public struct MemoryMeasurements: Codable, Hashable, Sendable {
    /// The size asked for (for `fill-to`, the first target).
    public var targetBytes: UInt64
    /// Most memory the hog held resident: its RSS above what it used before
    /// allocating (its own runtime, about 20 MiB).
    public var peakHeldBytes: UInt64
    /// From the go signal to the target being resident; nil if never reached.
    public var secondsToTarget: Double?
    public var locked: Bool
    /// Every OOM kill of a hog, with when it happened.
    public var oomKills: [OOMKill]
    /// Memory available before the attack, at its lowest, and after cleanup.
    public var availableBeforeBytes: UInt64
    public var availableLowestBytes: UInt64
    public var availableAfterBytes: UInt64?
    public var samples: [MemorySample]
    /// The supervisor's own oom_score_adj during the attack (it asks for
    /// -900, so the kernel kills the hog, never what undoes it), and why it
    /// is not that when lowering was refused (no CAP_SYS_RESOURCE).
    public var supervisorOOMScoreAdjustment: Int32?
    public var supervisorOOMScoreNote: String?

    public init(
        targetBytes: UInt64, peakHeldBytes: UInt64, secondsToTarget: Double?, locked: Bool, oomKills: [OOMKill],
        availableBeforeBytes: UInt64, availableLowestBytes: UInt64, availableAfterBytes: UInt64?, samples: [MemorySample],
        supervisorOOMScoreAdjustment: Int32? = nil, supervisorOOMScoreNote: String? = nil
    ) {
        self.targetBytes = targetBytes
        self.peakHeldBytes = peakHeldBytes
        self.secondsToTarget = secondsToTarget
        self.locked = locked
        self.oomKills = oomKills
        self.availableBeforeBytes = availableBeforeBytes
        self.availableLowestBytes = availableLowestBytes
        self.availableAfterBytes = availableAfterBytes
        self.samples = samples
        self.supervisorOOMScoreAdjustment = supervisorOOMScoreAdjustment
        self.supervisorOOMScoreNote = supervisorOOMScoreNote
    }
}

/// The kernel killed a hog.
public struct OOMKill: Codable, Hashable, Sendable {
    /// Seconds since the attack started.
    public var elapsed: Double
    public var pid: Int32

    public init(elapsed: Double, pid: Int32) {
        self.elapsed = elapsed
        self.pid = pid
    }
}

/// The hog at one instant.
public struct MemorySample: Codable, Hashable, Sendable {
    public var elapsed: Double
    /// Resident memory the hog holds (RSS above its baseline).
    public var residentBytes: UInt64
    public var targetBytes: UInt64

    public init(elapsed: Double, residentBytes: UInt64, targetBytes: UInt64) {
        self.elapsed = elapsed
        self.residentBytes = residentBytes
        self.targetBytes = targetBytes
    }
}
