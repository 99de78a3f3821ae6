/// What `stressd host` reports: the host as an attack would see it, measured
/// over a short interval. Pure data, so the CLI, the HTTP API and reports
/// share one JSON shape (camelCase keys; optional values are left out when
/// the host has nothing to say, e.g. `pressure` on kernels without PSI).
public struct HostSnapshot: Codable, Hashable, Sendable {
    /// How long CPU usage was measured over.
    public var intervalSeconds: Double
    public var cpu: CPU
    public var load: Load
    public var memory: Memory
    /// nil when the kernel has no /proc/pressure.
    public var pressure: Pressure?
    public var fileSystems: [FileSystem]
    public var cgroup: Cgroup
    /// The busiest processes over the interval, most CPU first.
    public var topByCPU: [ProcessUsage]
    /// The largest resident sets at the end of the interval.
    public var topByMemory: [ProcessUsage]

    public init(
        intervalSeconds: Double, cpu: CPU, load: Load, memory: Memory, pressure: Pressure?,
        fileSystems: [FileSystem], cgroup: Cgroup, topByCPU: [ProcessUsage], topByMemory: [ProcessUsage]
    ) {
        self.intervalSeconds = intervalSeconds
        self.cpu = cpu
        self.load = load
        self.memory = memory
        self.pressure = pressure
        self.fileSystems = fileSystems
        self.cgroup = cgroup
        self.topByCPU = topByCPU
        self.topByMemory = topByMemory
    }

    public struct CPU: Codable, Hashable, Sendable {
        /// What stressd may use: affinity mask and cgroup quota.
        public var capacity: CPUCapacity
        /// CPUs the kernel lists in /proc/stat: the whole host.
        public var hostCPUs: Int
        /// Share of all host CPU time that was busy, 0...1; nil if no tick passed.
        public var busyFraction: Double?
        /// The same in cores: 1.5 means one and a half CPUs' worth of work.
        public var busyCores: Double?

        public init(capacity: CPUCapacity, hostCPUs: Int, busyFraction: Double?, busyCores: Double?) {
            self.capacity = capacity
            self.hostCPUs = hostCPUs
            self.busyFraction = busyFraction
            self.busyCores = busyCores
        }
    }

    public struct Load: Codable, Hashable, Sendable {
        public var one: Double
        public var five: Double
        public var fifteen: Double
        public var runnable: Int
        public var entities: Int

        public init(one: Double, five: Double, fifteen: Double, runnable: Int, entities: Int) {
            self.one = one
            self.five = five
            self.fifteen = fifteen
            self.runnable = runnable
            self.entities = entities
        }
    }

    public struct Memory: Codable, Hashable, Sendable {
        public var totalBytes: UInt64
        /// The kernel's MemAvailable: what new work can get without swapping.
        public var availableBytes: UInt64
        public var swapTotalBytes: UInt64
        public var swapFreeBytes: UInt64

        public init(totalBytes: UInt64, availableBytes: UInt64, swapTotalBytes: UInt64, swapFreeBytes: UInt64) {
            self.totalBytes = totalBytes
            self.availableBytes = availableBytes
            self.swapTotalBytes = swapTotalBytes
            self.swapFreeBytes = swapFreeBytes
        }
    }

    /// Pressure stall information per resource; a resource is nil when its
    /// file is missing.
    public struct Pressure: Codable, Hashable, Sendable {
        public var cpu: Stall?
        public var memory: Stall?
        public var io: Stall?

        public init(cpu: Stall?, memory: Stall?, io: Stall?) {
            self.cpu = cpu
            self.memory = memory
            self.io = io
        }
    }

    public struct Stall: Codable, Hashable, Sendable {
        /// Some task waited.
        public var some: StallAverages
        /// All non-idle tasks waited at once; absent for CPU before Linux 5.13.
        public var full: StallAverages?

        public init(some: StallAverages, full: StallAverages?) {
            self.some = some
            self.full = full
        }
    }

    /// One `some` or `full` line of a /proc/pressure file.
    public struct StallAverages: Codable, Hashable, Sendable {
        /// Percent of wall time stalled over 10, 60 and 300 seconds.
        public var avg10: Double
        public var avg60: Double
        public var avg300: Double
        public var totalMicroseconds: UInt64

        public init(avg10: Double, avg60: Double, avg300: Double, totalMicroseconds: UInt64) {
            self.avg10 = avg10
            self.avg60 = avg60
            self.avg300 = avg300
            self.totalMicroseconds = totalMicroseconds
        }
    }

    public struct FileSystem: Codable, Hashable, Sendable {
        public var mountPoint: String
        public var type: String
        public var source: String
        public var sizeBytes: UInt64
        /// Free for unprivileged users (what `df` calls Avail).
        public var availableBytes: UInt64
        /// Free including blocks reserved for root.
        public var freeBytes: UInt64

        public init(mountPoint: String, type: String, source: String, sizeBytes: UInt64, availableBytes: UInt64, freeBytes: UInt64) {
            self.mountPoint = mountPoint
            self.type = type
            self.source = source
            self.sizeBytes = sizeBytes
            self.availableBytes = availableBytes
            self.freeBytes = freeBytes
        }
    }

    /// Which cgroup versions the host mounts and what binds this process.
    public struct Cgroup: Codable, Hashable, Sendable {
        public typealias Layout = CgroupLayout

        public var layout: Layout
        /// Where cgroup2 is mounted, if it is.
        public var unifiedMount: String?
        /// The process's cgroup in the hierarchy that holds its memory limit.
        public var path: String?
        public var memoryLimitBytes: UInt64?
        public var memoryUsageBytes: UInt64?
        public var cpuQuotaCores: Double?

        public init(
            layout: Layout, unifiedMount: String?, path: String?,
            memoryLimitBytes: UInt64?, memoryUsageBytes: UInt64?, cpuQuotaCores: Double?
        ) {
            self.layout = layout
            self.unifiedMount = unifiedMount
            self.path = path
            self.memoryLimitBytes = memoryLimitBytes
            self.memoryUsageBytes = memoryUsageBytes
            self.cpuQuotaCores = cpuQuotaCores
        }
    }

    public struct ProcessUsage: Codable, Hashable, Sendable {
        public var pid: Int32
        public var command: String
        /// Cores' worth of CPU used over the interval (1.0 = one core flat out).
        public var cpuCores: Double
        /// `cpuCores` as a percent of `CPU.capacity.cores`: with a cgroup
        /// quota, of the quota, the same base attack percentages use.
        public var cpuPercent: Double
        public var rssBytes: UInt64

        public init(pid: Int32, command: String, cpuCores: Double, cpuPercent: Double, rssBytes: UInt64) {
            self.pid = pid
            self.command = command
            self.cpuCores = cpuCores
            self.cpuPercent = cpuPercent
            self.rssBytes = rssBytes
        }
    }
}
