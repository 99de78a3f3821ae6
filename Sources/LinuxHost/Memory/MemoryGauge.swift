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

    /// The same, through files held open (a guard's readings).
    public func read(through held: HeldFiles) throws(HostError) -> MemoryCapacity {
        let path = proc.file("meminfo")
        guard let text = try held.text(path) else {
            throw .system(call: "open", path: path.string, errno: .noSuchFileOrDirectory)
        }
        return MemoryCapacity(memInfo: try MemInfo(parsing: text, file: path.string), cgroup: try files.readMemory(through: held))
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
