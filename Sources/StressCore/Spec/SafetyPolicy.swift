/// The operator's limits on any attack: the blast radius. Validation refuses
/// a spec that breaks them; the guards stop a running attack the moment the
/// host crosses them. Defaults are what a cautious operator would accept on
/// a production host; each can be raised or lowered by flag (and later by
/// the config file).
public struct SafetyPolicy: Hashable, Sendable {
    /// No attack runs longer than this, whatever it asks for.
    public var maxDuration: Duration
    /// MemAvailable is never pushed below this; nil means the default, the
    /// larger of 256 MiB and 5% of the memory limit.
    public var memoryFloor: SizeOrShare?
    /// A filled file system always keeps this much free; nil means the
    /// default, the larger of 512 MiB and 2% of its size.
    public var diskFloor: SizeOrShare?
    /// Stop a CPU attack when the 1-minute load average passes this.
    public var maxLoadAverage: Double?
    /// What must hold of the services on the host for any attack to start
    /// and go on (the operator's `policy.abort-unless`, then a request's own).
    public var abortConditions: [AbortCondition] = []

    public init(
        maxDuration: Duration = .seconds(3600), memoryFloor: SizeOrShare? = nil,
        diskFloor: SizeOrShare? = nil, maxLoadAverage: Double? = nil
    ) {
        self.maxDuration = maxDuration
        self.memoryFloor = memoryFloor
        self.diskFloor = diskFloor
        self.maxLoadAverage = maxLoadAverage
    }

    public static let `default` = SafetyPolicy()

    public func memoryFloorBytes(limit: UInt64) -> UInt64 {
        memoryFloor?.bytes(of: limit) ?? max(256 << 20, limit / 20)
    }

    public func diskFloorBytes(size: UInt64) -> UInt64 {
        diskFloor?.bytes(of: size) ?? max(512 << 20, size / 50)
    }
}
