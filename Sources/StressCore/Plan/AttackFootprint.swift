/// What an attack would take from the host, as its kind works it out
/// against the host's limits now: the numbers a plan shows and the floors'
/// margins are computed from (`AttackKindSpec.footprint`).
public struct AttackFootprint: Codable, Hashable, Sendable {
    /// Worker processes it starts; 0 where the supervisor acts itself
    /// (disk fills, kill, pause).
    public var workers: Int
    /// cpu: each worker's share of its core.
    public var loadPerWorker: Percentage?
    /// mem: the bytes the hog would hold.
    public var memoryBytes: UInt64?
    /// disk, io: the bytes it would write under `path`.
    public var diskBytes: UInt64?
    public var path: String?

    public init(
        workers: Int, loadPerWorker: Percentage? = nil, memoryBytes: UInt64? = nil, diskBytes: UInt64? = nil, path: String? = nil
    ) {
        self.workers = workers
        self.loadPerWorker = loadPerWorker
        self.memoryBytes = memoryBytes
        self.diskBytes = diskBytes
        self.path = path
    }
}
