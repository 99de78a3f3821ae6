/// What an I/O attack does: keep a file system's device busy with reads and
/// writes of `blockSize` blocks, at random or in sequence, over a working set
/// of `size` bytes in files of its own (`PATH/.stressd-fill-ID/`), from
/// `workers` processes, as fast as the device allows or at a `pace`.
/// Direct I/O by default, so the load reaches the device and not the page
/// cache, as a neighbour saturating the disk would.
public struct IOSpec: Hashable, Sendable {
    /// How fast the workers go, all of them together.
    public enum Pace: Hashable, Sendable {
        case unlimited
        case bytesPerSecond(ByteCount)
        case operationsPerSecond(Int)
    }

    public enum Pattern: String, Hashable, Sendable, CaseIterable {
        case random
        case sequential
    }

    /// A directory on the file system to load.
    public var path: String
    /// The share of operations that are reads; the rest are writes.
    public var readShare: Percentage
    public var blockSize: ByteCount
    /// The working set, split evenly between the workers' files.
    public var size: ByteCount
    public var workers: Int
    public var pattern: Pattern
    public var pace: Pace
    /// O_DIRECT, bypassing the page cache (falls back to buffered I/O on a
    /// file system that refuses it, and the report says so).
    public var direct: Bool
    /// Guard: the host's I/O pressure (PSI some avg10) never above this.
    public var maxPressure: Percentage?

    public static let defaultBlockSize = ByteCount(bytes: 64 << 10)
    public static let defaultSize = ByteCount(bytes: 256 << 20)
    public static let maxWorkers = 64
    /// The largest block: beyond it one operation is no longer "an I/O".
    public static let maxBlockSize = ByteCount(bytes: 16 << 20)

    public init(
        path: String, readShare: Percentage = Percentage(fraction: 0), blockSize: ByteCount = Self.defaultBlockSize,
        size: ByteCount = Self.defaultSize, workers: Int = 1, pattern: Pattern = .random, pace: Pace = .unlimited,
        direct: Bool = true, maxPressure: Percentage? = nil
    ) {
        self.path = path
        self.readShare = readShare
        self.blockSize = blockSize
        self.size = size
        self.workers = workers
        self.pattern = pattern
        self.pace = pace
        self.direct = direct
        self.maxPressure = maxPressure
    }

    /// Each worker's file: the working set split evenly, in whole blocks.
    public var bytesPerWorker: UInt64 {
        let blocks = size.bytes / max(blockSize.bytes, 1) / UInt64(max(workers, 1))
        return blocks * blockSize.bytes
    }

    func validate(disk: DiskCapacity?, policy: SafetyPolicy) throws(InputError) {
        let disk = try DiskCapacity.writable(disk, path: path)
        guard readShare.fraction >= 0, readShare.fraction <= 1 else {
            throw .outOfRange(field: "read", value: readShare.description, allowed: "from 0% (all writes) to 100% (all reads)")
        }
        guard blockSize.bytes >= 512, blockSize.bytes % 512 == 0, blockSize <= Self.maxBlockSize else {
            throw .outOfRange(
                field: "block-size", value: "\(blockSize.bytes) bytes",
                allowed: "a multiple of 512 bytes from 512 to \(Self.maxBlockSize) (direct I/O moves whole sectors)")
        }
        guard (1...Self.maxWorkers).contains(workers) else {
            throw .outOfRange(field: "workers", value: String(workers), allowed: "from 1 to \(Self.maxWorkers)")
        }
        guard bytesPerWorker > 0 else {
            throw .outOfRange(
                field: "size", value: size.description,
                allowed: "at least one block per worker: \(ByteCount(bytes: blockSize.bytes * UInt64(workers))) for \(workers) worker(s) of \(blockSize) blocks")
        }
        switch pace {
        case .unlimited: break
        case .bytesPerSecond(let rate) where rate.bytes == 0:
            throw .outOfRange(field: "rate", value: rate.description, allowed: "more than 0 bytes per second")
        case .operationsPerSecond(let iops) where iops < 1 || iops > 10_000_000:
            throw .outOfRange(field: "iops", value: String(iops), allowed: "from 1 to 10000000")
        case .bytesPerSecond, .operationsPerSecond: break
        }
        if let maxPressure, maxPressure.fraction <= 0 || maxPressure.fraction > 1 {
            throw .outOfRange(field: "max-io-pressure", value: maxPressure.description, allowed: "above 0% and at most 100%")
        }
        let floor = policy.diskFloorBytes(size: disk.sizeBytes)
        let workingSet = bytesPerWorker * UInt64(workers)
        let leaves = disk.availableBytes > workingSet ? disk.availableBytes - workingSet : 0
        guard leaves >= floor, disk.availableBytes >= workingSet else {
            throw .rejected(field: "size", reason: """
                a working set of \(ByteCount(bytes: workingSet)) would leave \(ByteCount(bytes: leaves)) free on \(path), \
                below the disk floor of \(ByteCount(bytes: floor)); give a smaller --size or lower the floor (--floor)
                """)
        }
    }
}
