import StressCore
import SystemPackage

/// The cgroup files that hold one process's limits (see `CgroupLimits`),
/// found once: which hierarchy carries each controller and every directory
/// from the process's cgroup up to the root. Reading them again is then
/// only the reads, which is what a guard sampling memory ten times a second
/// needs; finding them costs /proc/self/cgroup, mount checks and the CPU
/// quota files besides.
///
/// Where a process's cgroup can change (it is moved), find the files again.
public struct CgroupLimitFiles: Sendable {
    /// `memory.max` or `memory.limit_in_bytes` of each level, deepest first.
    let memoryLimits: [FilePath]
    /// `memory.current` or `memory.usage_in_bytes` of each level, deepest
    /// first: the first that exists is the process's own cgroup's usage.
    let memoryUsages: [FilePath]
    let cpuQuotas: [CPUQuota]
    /// Each quota level's CPU usage counter: `cpu.stat` (v2), or
    /// `cpuacct.usage` where cpuacct keeps the same path (v1); nil where
    /// none is known.
    let cpuUsages: [FilePath?]

    /// Where one level keeps its CPU quota.
    enum CPUQuota {
        /// cgroup v1: `cpu.cfs_quota_us` and `cpu.cfs_period_us`.
        case v1(quota: FilePath, period: FilePath)
        /// cgroup v2: `cpu.max`.
        case v2(FilePath)
    }

    /// Finds the files for a process in `membership`. Each controller is
    /// read where it is mounted: its v1 hierarchy if there is one (v1 and
    /// hybrid hosts), else the unified one.
    public init(cgroups: CgroupFS, membership: CgroupMembership) {
        var memoryLimits: [FilePath] = []
        var memoryUsages: [FilePath] = []
        if let (mount, path, isV1) = cgroups.hierarchy(of: "memory", in: membership) {
            for directory in CgroupFS.lineage(path, under: mount) {
                memoryLimits.append(directory.appending(isV1 ? "memory.limit_in_bytes" : "memory.max"))
                memoryUsages.append(directory.appending(isV1 ? "memory.usage_in_bytes" : "memory.current"))
            }
        }
        var cpuQuotas: [CPUQuota] = []
        var cpuUsages: [FilePath?] = []
        if let (mount, path, isV1) = cgroups.hierarchy(of: "cpu", in: membership) {
            let lineage = CgroupFS.lineage(path, under: mount)
            cpuQuotas = lineage.map { directory in
                isV1
                    ? .v1(quota: directory.appending("cpu.cfs_quota_us"), period: directory.appending("cpu.cfs_period_us"))
                    : .v2(directory.appending("cpu.max"))
            }
            if !isV1 {
                cpuUsages = lineage.map { $0.appending("cpu.stat") }
            } else if let (accounting, accountingPath, _) = cgroups.hierarchy(of: "cpuacct", in: membership), accountingPath == path {
                cpuUsages = CgroupFS.lineage(path, under: accounting).map { $0.appending("cpuacct.usage") }
            } else {
                cpuUsages = lineage.map { _ in nil }
            }
        }
        self.memoryLimits = memoryLimits
        self.memoryUsages = memoryUsages
        self.cpuQuotas = cpuQuotas
        self.cpuUsages = cpuUsages
    }

    /// Both limits and the memory usage. A missing file is no limit at that
    /// level, not an error: controllers need not be enabled everywhere, and
    /// in a container the host's part of the path is absent.
    public func read() throws(HostError) -> CgroupLimits {
        var limits = try readMemory()
        limits.cpuQuotaCores = try readCPUQuota()
        return limits
    }

    /// The memory limit and usage only (no CPU quota).
    public func readMemory() throws(HostError) -> CgroupLimits {
        try readMemory(reading: Self.readIfPresent)
    }

    /// The same, through files a guard holds open.
    public func readMemory(through held: HeldFiles) throws(HostError) -> CgroupLimits {
        try readMemory(reading: { path throws(HostError) in try held.text(path, limit: 4096) })
    }

    /// `read` gives a file's text, or nil when it does not exist.
    private func readMemory(reading read: (FilePath) throws(HostError) -> String?) throws(HostError) -> CgroupLimits {
        var limits = CgroupLimits()
        for file in memoryLimits {
            if let text = try read(file),
               let bytes = try CgroupLimits.memoryLimit(parsing: text, file: file.string) {
                limits.memoryLimitBytes = min(bytes, limits.memoryLimitBytes ?? .max)
            }
        }
        for file in memoryUsages {
            if let text = try read(file) {
                limits.memoryUsageBytes = try CgroupLimits.memoryUsage(parsing: text, file: file.string)
                break
            }
        }
        return limits
    }

    /// The tightest CPU quota in cores, nil when none applies.
    func readCPUQuota() throws(HostError) -> Double? {
        try tightestCPUQuota()?.cores
    }

    /// Where in the lineage the tightest quota is (an index of `cpuQuotas`).
    func tightestCPUQuotaLevel() throws(HostError) -> Int? {
        try tightestCPUQuota()?.level
    }

    private func tightestCPUQuota() throws(HostError) -> (cores: Double, level: Int)? {
        var tightest: (cores: Double, level: Int)?
        for (level, source) in cpuQuotas.enumerated() {
            let cores: Double?
            switch source {
            case .v1(let quotaFile, let periodFile):
                guard let quota = try Self.readIfPresent(quotaFile),
                      let period = try Self.readIfPresent(periodFile) else { continue }
                cores = try CgroupLimits.cfsQuota(parsing: quota, period: period, file: quotaFile.string)
            case .v2(let file):
                guard let text = try Self.readIfPresent(file) else { continue }
                cores = try CgroupLimits.cpuMax(parsing: text, file: file.string)
            }
            if let cores, cores < (tightest?.cores ?? .infinity) { tightest = (cores, level) }
        }
        return tightest
    }

    /// A cgroup file's text, or nil when it does not exist.
    private static func readIfPresent(_ path: FilePath) throws(HostError) -> String? {
        do {
            return try TextFile.read(path, limit: 4096)
        } catch {
            if error.errno == .noSuchFileOrDirectory { return nil }
            throw error
        }
    }
}
