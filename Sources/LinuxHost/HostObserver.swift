import StressCore
import SystemPackage

/// Builds `HostSnapshot`s for `stressd host` and answers the questions an
/// attack asks before it starts (how much CPU may I use, how busy is the
/// host). CPU usage needs two readings of the tick counters, so a snapshot
/// takes one sample, waits `interval`, and takes another.
public struct HostObserver: Sendable {
    public let proc: ProcFS
    public let cgroups: CgroupFS
    public let interval: Duration
    /// The CPUs in the affinity mask; injected so fixture tests do not
    /// depend on the machine that runs them.
    public let allowedCPUs: @Sendable () throws(HostError) -> CPUList

    public init(
        proc: ProcFS = ProcFS(),
        cgroups: CgroupFS = CgroupFS(),
        interval: Duration = .seconds(1),
        allowedCPUs: @escaping @Sendable () throws(HostError) -> CPUList = OnlineCPUs.allowed
    ) {
        self.proc = proc
        self.cgroups = cgroups
        self.interval = interval
        self.allowedCPUs = allowedCPUs
    }

    /// One reading of the counters that only mean something as a difference.
    public struct Sample: Sendable {
        public var cpuTimes: CPUTimes
        /// By pid; a process is matched across samples by pid and start time.
        public var processes: [Int32: ProcessStat]

        public init(cpuTimes: CPUTimes, processes: [Int32: ProcessStat]) {
            self.cpuTimes = cpuTimes
            self.processes = processes
        }
    }

    /// How much CPU this process may use: its affinity mask capped by the
    /// tightest CPU quota of its cgroups. The base of every CPU percentage.
    public func cpuCapacity() throws(HostError) -> CPUCapacity {
        try cpuCapacity(within: cgroups.limits(for: proc.cgroupMembership()))
    }

    func cpuCapacity(within limits: CgroupLimits) throws(HostError) -> CPUCapacity {
        try CPUCapacity(allowed: allowedCPUs(), quotaCores: limits.cpuQuotaCores)
    }

    /// Every process visible now. One that exits while it is being read is
    /// left out; any other failure is reported.
    public func processStats() throws(HostError) -> [ProcessStat] {
        var stats: [ProcessStat] = []
        for pid in try proc.processIDs() {
            do {
                stats.append(try proc.processStat(pid))
            } catch {
                if error.errno == .noSuchFileOrDirectory || error.errno == .noSuchProcess { continue }
                throw error
            }
        }
        return stats
    }

    public func sample() throws(HostError) -> Sample {
        let cpuTimes = try proc.cpuTimes()
        let stats = try processStats()
        return Sample(cpuTimes: cpuTimes, processes: Dictionary(stats.map { ($0.pid, $0) }) { _, last in last })
    }

    /// Samples, waits `interval` on the continuous clock, samples again.
    /// Throws `HostError`, or `CancellationError` if cancelled while waiting.
    public func snapshot(topCount: Int = 5) async throws -> HostSnapshot {
        try await snapshot(clock: ContinuousClock(), topCount: topCount)
    }

    /// As `snapshot(topCount:)`, waiting on `clock`; CPU shares use the time
    /// the clock says really passed, not the interval asked for.
    public func snapshot<C: Clock>(clock: C, topCount: Int = 5) async throws -> HostSnapshot
    where C.Duration == Duration {
        let start = clock.now
        let first = try sample()
        try await clock.sleep(for: interval)
        let elapsed = start.duration(to: clock.now)
        let second = try sample()
        return try snapshot(between: first, and: second, elapsed: elapsed, topCount: topCount)
    }

    /// Builds the snapshot from two samples `elapsed` apart, reading the
    /// files that need only one look (memory, load, PSI, mounts, cgroups).
    public func snapshot(
        between first: Sample, and second: Sample, elapsed: Duration, topCount: Int = 5
    ) throws(HostError) -> HostSnapshot {
        let membership = try proc.cgroupMembership()
        let limits = try cgroups.limits(for: membership)
        let capacity = try CPUCapacity(allowed: allowedCPUs(), quotaCores: limits.cpuQuotaCores)
        let memory = try proc.memInfo()
        let load = try proc.loadAverage()
        let usage = Self.processUsage(
            from: first, to: second, elapsed: elapsed, capacity: capacity, pageSize: SystemConstants.pageSize
        )
        return HostSnapshot(
            intervalSeconds: elapsed.seconds,
            cpu: HostSnapshot.CPU(
                capacity: capacity,
                hostCPUs: second.cpuTimes.onlineCount,
                busyFraction: second.cpuTimes.all.busyFraction(since: first.cpuTimes.all),
                busyCores: second.cpuTimes.busyCores(since: first.cpuTimes)
            ),
            load: HostSnapshot.Load(
                one: load.one, five: load.five, fifteen: load.fifteen, runnable: load.runnable, entities: load.entities
            ),
            memory: HostSnapshot.Memory(
                totalBytes: memory.totalBytes, availableBytes: memory.availableBytes,
                swapTotalBytes: memory.swapTotalBytes, swapFreeBytes: memory.swapFreeBytes
            ),
            pressure: try pressure(),
            fileSystems: try fileSystems(),
            cgroup: HostSnapshot.Cgroup(
                layout: cgroups.layout,
                unifiedMount: cgroups.unifiedMount?.string,
                path: cgroups.hierarchy(of: "memory", in: membership)?.1,
                memoryLimitBytes: limits.memoryLimitBytes,
                memoryUsageBytes: limits.memoryUsageBytes,
                cpuQuotaCores: limits.cpuQuotaCores
            ),
            topByCPU: Array(usage.filter { $0.cpuCores > 0 }.sorted(by: Self.moreCPU).prefix(topCount)),
            topByMemory: Array(usage.filter { $0.rssBytes > 0 }.sorted(by: Self.moreMemory).prefix(topCount))
        )
    }

    /// Each process of `second` with the CPU it used since `first` (0 when
    /// it is new: its earlier use fell outside the interval) and its RSS.
    static func processUsage(
        from first: Sample, to second: Sample, elapsed: Duration, capacity: CPUCapacity, pageSize: UInt64
    ) -> [HostSnapshot.ProcessUsage] {
        let tickSeconds = elapsed.seconds * SystemConstants.clockTicksPerSecond
        return second.processes.values.map { stat in
            var cores = 0.0
            if let before = first.processes[stat.pid], before.startTime == stat.startTime,
               stat.cpuTicks > before.cpuTicks, tickSeconds > 0 {
                cores = Double(stat.cpuTicks - before.cpuTicks) / tickSeconds
            }
            let (rss, overflow) = stat.residentPages.multipliedReportingOverflow(by: pageSize)
            return HostSnapshot.ProcessUsage(
                pid: stat.pid, command: stat.command, cpuCores: cores,
                cpuPercent: cores / capacity.cores * 100, rssBytes: overflow ? .max : rss
            )
        }
    }

    private static func moreCPU(_ a: HostSnapshot.ProcessUsage, _ b: HostSnapshot.ProcessUsage) -> Bool {
        a.cpuCores != b.cpuCores ? a.cpuCores > b.cpuCores : a.pid < b.pid
    }

    private static func moreMemory(_ a: HostSnapshot.ProcessUsage, _ b: HostSnapshot.ProcessUsage) -> Bool {
        a.rssBytes != b.rssBytes ? a.rssBytes > b.rssBytes : a.pid < b.pid
    }

    /// PSI for CPU, memory and I/O; nil when the kernel offers none of them.
    func pressure() throws(HostError) -> HostSnapshot.Pressure? {
        func stall(_ resource: PressureStall.Resource) throws(HostError) -> HostSnapshot.Stall? {
            try proc.pressure(resource).map { HostSnapshot.Stall(some: $0.some, full: $0.full) }
        }
        let result = try HostSnapshot.Pressure(cpu: stall(.cpu), memory: stall(.memory), io: stall(.io))
        return result.cpu == nil && result.memory == nil && result.io == nil ? nil : result
    }

    /// File systems that hold data, with their free space. A mount that
    /// cannot be examined (a path hidden from us, a stale network mount) or
    /// that has no blocks is left out, as `df` does; so are single files
    /// bind-mounted into containers (`/etc/resolv.conf`), which only repeat
    /// the file system they come from.
    func fileSystems() throws(HostError) -> [HostSnapshot.FileSystem] {
        Self.listedMounts(try proc.mountInfo()).compactMap { mount in
            let path = FilePath(mount.mountPoint)
            guard Directory.isDirectory(path), let usage = try? FileSystemUsage(path: path), usage.sizeBytes > 0 else {
                return nil
            }
            return HostSnapshot.FileSystem(
                mountPoint: mount.mountPoint, type: mount.fileSystemType, source: mount.source,
                sizeBytes: usage.sizeBytes, availableBytes: usage.availableBytes, freeBytes: usage.freeBytes
            )
        }
    }

    /// The mounts worth listing: no pseudo file systems, and one entry per
    /// mount point — the last, which is the one on top and the one paths reach.
    static func listedMounts(_ info: MountInfo) -> [MountInfo.Mount] {
        var lastIndex: [String: Int] = [:]
        for (index, mount) in info.mounts.enumerated() { lastIndex[mount.mountPoint] = index }
        return info.mounts.enumerated()
            .filter { index, mount in !mount.isPseudoFileSystem && lastIndex[mount.mountPoint] == index }
            .map(\.element)
    }
}
