import StressCore

/// Reads how much memory this process's scope has, as often as a guard
/// asks: MemTotal/MemAvailable from /proc/meminfo and, inside a cgroup with
/// a memory limit, that limit and its usage, from files found once
/// (`CgroupLimitFiles`).
public struct MemoryGauge: Sendable {
    let proc: ProcFS
    let files: CgroupLimitFiles

    public init(proc: ProcFS, files: CgroupLimitFiles) {
        self.proc = proc
        self.files = files
    }

    public func read() throws(HostError) -> MemoryCapacity {
        try MemoryCapacity(memInfo: proc.memInfo(), cgroup: files.readMemory())
    }
}

extension MemoryCapacity {
    /// The host's totals, bounded by the cgroup's limit where one applies.
    init(memInfo info: MemInfo, cgroup limits: CgroupLimits) {
        self.init(
            hostTotalBytes: info.totalBytes, hostAvailableBytes: info.availableBytes,
            limitBytes: limits.memoryLimitBytes, cgroupUsageBytes: limits.memoryUsageBytes)
    }
}
