/// What an I/O attack achieved against what it asked: the workers' own
/// counts and latencies, the device's counters over the same time, and a
/// sample a second, so a chart shows the load as a curve.
public struct IOMeasurements: Codable, Hashable, Sendable {
    /// One second (about) of the load, from the workers' counts.
    public struct Sample: Codable, Hashable, Sendable {
        public var elapsed: Double
        public var bytesPerSecond: Double
        public var operationsPerSecond: Double

        public init(elapsed: Double, bytesPerSecond: Double, operationsPerSecond: Double) {
            self.elapsed = elapsed
            self.bytesPerSecond = bytesPerSecond
            self.operationsPerSecond = operationsPerSecond
        }
    }

    public var path: String
    /// The folder the working set was in.
    public var directory: String
    /// What was asked: nil both for as fast as the device goes.
    public var requestedBytesPerSecond: UInt64?
    public var requestedOperationsPerSecond: UInt64?
    /// Whether the I/O bypassed the page cache: false when buffered I/O was
    /// asked for, or direct I/O was and the file system refused it.
    public var direct: Bool
    public var workers: Int
    public var workingSetBytes: UInt64
    /// Laying the working set out before the load (not counted in it).
    public var layoutSeconds: Double
    /// How long the workers loaded the device.
    public var loadSeconds: Double
    public var readOperations: UInt64
    public var writeOperations: UInt64
    public var readBytes: UInt64
    public var writtenBytes: UInt64
    /// Over `loadSeconds`, reads and writes together.
    public var bytesPerSecond: Double
    public var operationsPerSecond: Double
    /// Of the workers' own operations, from submission to completion.
    public var latencyP50Microseconds: Double?
    public var latencyP99Microseconds: Double?
    public var latencyMaxMicroseconds: Double?
    /// The device the path is on (/proc/diskstats), over the attack: what
    /// reached it, from every process, and how busy it was (% of time with
    /// I/O in flight). nil when the device has no line there (an overlay, NFS).
    public var deviceName: String?
    public var deviceReadBytes: UInt64?
    public var deviceWrittenBytes: UInt64?
    public var deviceBusyPercent: Double?
    public var samples: [Sample]

    public init(
        path: String, directory: String, requestedBytesPerSecond: UInt64?, requestedOperationsPerSecond: UInt64?, direct: Bool,
        workers: Int, workingSetBytes: UInt64
    ) {
        self.path = path
        self.directory = directory
        self.requestedBytesPerSecond = requestedBytesPerSecond
        self.requestedOperationsPerSecond = requestedOperationsPerSecond
        self.direct = direct
        self.workers = workers
        self.workingSetBytes = workingSetBytes
        layoutSeconds = 0
        loadSeconds = 0
        readOperations = 0
        writeOperations = 0
        readBytes = 0
        writtenBytes = 0
        bytesPerSecond = 0
        operationsPerSecond = 0
        samples = []
    }
}
