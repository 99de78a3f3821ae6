/// The blast radius, enforced while an attack runs. Pure: the supervisor
/// feeds it readings of the host (at 10 Hz) and it answers whether a floor
/// was crossed. Whatever pushed the host there — the attack or something
/// else — the attack stops, because the host now has less room than the
/// operator allowed.
public struct Guard: Codable, Hashable, Sendable {
    /// MemAvailable (or what the cgroup limit leaves) must stay at or above this.
    public var memoryFloorBytes: UInt64?
    /// Free space per watched file system (path → floor in bytes).
    public var diskFloorBytes: [String: UInt64]
    /// The 1-minute load average must stay at or below this.
    public var maxLoadAverage: Double?
    /// The host's I/O pressure (PSI `some` avg10, in percent) must stay at
    /// or below this (`io --max-io-pressure`).
    public var maxIOPressure: Double?

    public init(
        memoryFloorBytes: UInt64? = nil, diskFloorBytes: [String: UInt64] = [:], maxLoadAverage: Double? = nil,
        maxIOPressure: Double? = nil
    ) {
        self.memoryFloorBytes = memoryFloorBytes
        self.diskFloorBytes = diskFloorBytes
        self.maxLoadAverage = maxLoadAverage
        self.maxIOPressure = maxIOPressure
    }

    /// What the guard watches, read from the host at one instant. A value the
    /// host could not give is nil, and `unreadable` says which and why:
    /// `GuardWatch` stops an attack whose guard stays blind.
    public struct Reading: Hashable, Sendable {
        public var memoryAvailableBytes: UInt64?
        public var diskAvailableBytes: [String: UInt64]
        public var loadAverage1: Double?
        /// PSI io `some` avg10, in percent.
        public var ioPressure10: Double?
        /// One line per watched value that could not be read ("memory
        /// available: open /proc/meminfo: too many open files").
        public var unreadable: [String]

        public init(
            memoryAvailableBytes: UInt64? = nil, diskAvailableBytes: [String: UInt64] = [:], loadAverage1: Double? = nil,
            ioPressure10: Double? = nil, unreadable: [String] = []
        ) {
            self.memoryAvailableBytes = memoryAvailableBytes
            self.diskAvailableBytes = diskAvailableBytes
            self.loadAverage1 = loadAverage1
            self.ioPressure10 = ioPressure10
            self.unreadable = unreadable
        }
    }

    /// A floor that was crossed: which guard, and a sentence for the report.
    public struct Trip: Hashable, Sendable {
        /// Every guard that can trip, by the name reports and metrics use.
        public enum Name: String, CaseIterable, Sendable {
            case memoryFloor = "memory-floor"
            case diskFloor = "disk-floor"
            case loadAverage = "load-average"
            case ioPressure = "io-pressure"
            case unreadable
        }

        public var name: Name
        public var reason: String
    }

    public var watchesMemory: Bool { memoryFloorBytes != nil }
    public var watchesLoad: Bool { maxLoadAverage != nil }
    public var watchesIOPressure: Bool { maxIOPressure != nil }
    public var isEmpty: Bool { memoryFloorBytes == nil && diskFloorBytes.isEmpty && maxLoadAverage == nil && maxIOPressure == nil }

    /// The first floor the reading crosses, or nil if the host is inside all of them.
    public func check(_ reading: Reading) -> Trip? {
        if let floor = memoryFloorBytes, let available = reading.memoryAvailableBytes, available < floor {
            return Trip(
                name: .memoryFloor,
                reason: "memory available fell to \(ByteCount(bytes: available)), below the floor of \(ByteCount(bytes: floor))")
        }
        for (path, floor) in diskFloorBytes.sorted(by: { $0.key < $1.key }) {
            if let free = reading.diskAvailableBytes[path], free < floor {
                return Trip(
                    name: .diskFloor,
                    reason: "free space on \(path) fell to \(ByteCount(bytes: free)), below the floor of \(ByteCount(bytes: floor))")
            }
        }
        if let limit = maxLoadAverage, let load = reading.loadAverage1, load > limit {
            return Trip(name: .loadAverage, reason: "the 1-minute load average rose to \(load), above \(limit)")
        }
        if let limit = maxIOPressure, let pressure = reading.ioPressure10, pressure > limit {
            return Trip(
                name: .ioPressure,
                reason: "the host's I/O pressure (PSI some avg10) rose to \(pressure.fixed(2))%, above \(limit.fixed(2))%")
        }
        return nil
    }
}

extension Guard: CustomStringConvertible {
    /// The floors in one line, for reports people read: `memory above
    /// 1.2 GiB, free space on /tmp above 5.3 GiB, 1-minute load average at
    /// most 4.0`, or `none`.
    public var description: String {
        var floors: [String] = []
        if let memoryFloorBytes {
            floors.append("memory available above \(ByteCount(bytes: memoryFloorBytes))")
        }
        for (path, floor) in diskFloorBytes.sorted(by: { $0.key < $1.key }) {
            floors.append("free space on \(path) above \(ByteCount(bytes: floor))")
        }
        if let maxLoadAverage {
            floors.append("1-minute load average at most \(maxLoadAverage)")
        }
        if let maxIOPressure {
            floors.append("I/O pressure (PSI some avg10) at most \(maxIOPressure.fixed(2))%")
        }
        return floors.isEmpty ? "none" : floors.joined(separator: ", ")
    }
}
