/// What a disk fill achieved and whether the space came back.
public struct DiskMeasurements: Codable, Hashable, Sendable {
    public var path: String
    /// The folder the fill wrote into.
    public var fillDirectory: String
    public var targetBytes: UInt64
    public var filledBytes: UInt64
    /// `fallocate` or `write-zeros`.
    public var method: String
    /// Why the fill stopped short, if it did: `disk-full` (ENOSPC, another
    /// writer took the space first) or `quota` (EDQUOT).
    public var shortfall: String?
    /// From the start to the target being filled; nil if never reached.
    public var secondsToFill: Double?
    /// Free space (f_bavail) before, at the lowest, and after cleanup.
    public var availableBeforeBytes: UInt64
    public var availableLowestBytes: UInt64
    public var availableAfterBytes: UInt64?

    public init(
        path: String, fillDirectory: String, targetBytes: UInt64, filledBytes: UInt64, method: String, shortfall: String?,
        secondsToFill: Double?, availableBeforeBytes: UInt64, availableLowestBytes: UInt64, availableAfterBytes: UInt64?
    ) {
        self.path = path
        self.fillDirectory = fillDirectory
        self.targetBytes = targetBytes
        self.filledBytes = filledBytes
        self.method = method
        self.shortfall = shortfall
        self.secondsToFill = secondsToFill
        self.availableBeforeBytes = availableBeforeBytes
        self.availableLowestBytes = availableLowestBytes
        self.availableAfterBytes = availableAfterBytes
    }
}
