import StressCore
import SystemPackage

/// The memory and CPU limits that cgroups put on a process, read from the
/// process's own cgroup up to the root of each hierarchy. A parent's limit
/// binds every child, so the tightest one along the way is the one that
/// applies; this is what "100%" means for an attack inside a container.
///
/// Files (cgroup v2 docs, cgroup v1 memory.txt and sched-bwc.txt):
/// - v2 `memory.max`: bytes or `max`; `memory.current`: bytes in use.
/// - v2 `cpu.max`: `150000 100000` (quota and period in µs) or `max 100000`.
/// - v1 `memory/…/memory.limit_in_bytes`: bytes; "unlimited" is the largest
///   page-aligned value, `9223372036854771712` on 4 KiB pages;
///   `memory.usage_in_bytes`: bytes in use.
/// - v1 `cpu/…/cpu.cfs_quota_us` (`-1` for none) and `cpu.cfs_period_us`.
/// https://docs.kernel.org/admin-guide/cgroup-v2.html
/// https://docs.kernel.org/scheduler/sched-bwc.html
public struct CgroupLimits: Hashable, Sendable {
    /// The tightest memory limit, nil when none applies.
    public var memoryLimitBytes: UInt64?
    /// The tightest CPU quota in cores (`quota / period`), nil when none applies.
    public var cpuQuotaCores: Double?
    /// Memory charged to the process's own cgroup, when the kernel reports it.
    public var memoryUsageBytes: UInt64?

    public init(memoryLimitBytes: UInt64? = nil, cpuQuotaCores: Double? = nil, memoryUsageBytes: UInt64? = nil) {
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuQuotaCores = cpuQuotaCores
        self.memoryUsageBytes = memoryUsageBytes
    }

    /// Values at or above 4 EiB mean "no limit": v1 writes its unlimited as
    /// the largest page-aligned 63-bit number, which depends on the page size.
    static let unlimitedThreshold: UInt64 = 1 << 62

    /// Parses `memory.max` or `memory.limit_in_bytes`; nil means unlimited.
    public static func memoryLimit(parsing text: String, file: String) throws(HostError) -> UInt64? {
        let body = text.trimmingWhitespace()
        if body == "max" || body == "-1" { return nil }
        guard let bytes = UInt64(body) else {
            throw .unparsable(file: file, text: text, reason: "expected a number of bytes or 'max'")
        }
        return bytes >= unlimitedThreshold ? nil : bytes
    }

    /// Parses `memory.current` or `memory.usage_in_bytes`.
    public static func memoryUsage(parsing text: String, file: String) throws(HostError) -> UInt64 {
        guard let bytes = UInt64(text.trimmingWhitespace()) else {
            throw .unparsable(file: file, text: text, reason: "expected a number of bytes")
        }
        return bytes
    }

    /// Parses v2 `cpu.max` (`quota period` or `max period`) into cores.
    public static func cpuMax(parsing text: String, file: String) throws(HostError) -> Double? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard words.count == 2, let period = Int64(words[1]), period > 0 else {
            throw .unparsable(file: file, text: text, reason: "expected 'quota period' or 'max period'")
        }
        if words[0] == "max" { return nil }
        guard let quota = Int64(words[0]), quota > 0 else {
            throw .unparsable(file: file, text: text, reason: "quota is neither a positive number nor 'max'")
        }
        return Double(quota) / Double(period)
    }

    /// Parses v1 `cpu.cfs_quota_us` and `cpu.cfs_period_us` into cores; a
    /// quota of -1 means none.
    public static func cfsQuota(parsing quotaText: String, period periodText: String, file: String) throws(HostError) -> Double? {
        guard let quota = Int64(quotaText.trimmingWhitespace()) else {
            throw .unparsable(file: file, text: quotaText, reason: "cfs_quota_us is not a number")
        }
        if quota < 0 { return nil }
        guard let period = Int64(periodText.trimmingWhitespace()), period > 0 else {
            throw .unparsable(file: file, text: periodText, reason: "cfs_period_us is not a positive number")
        }
        guard quota > 0 else {
            throw .unparsable(file: file, text: quotaText, reason: "cfs_quota_us is 0")
        }
        return Double(quota) / Double(period)
    }
}

extension CgroupFS {
    /// The limits that bind a process in `membership` (see `CgroupLimits`),
    /// read once; `CgroupLimitFiles` reads them again without finding them.
    public func limits(for membership: CgroupMembership) throws(HostError) -> CgroupLimits {
        try CgroupLimitFiles(cgroups: self, membership: membership).read()
    }

    /// The mount and in-hierarchy path that carry `controller` for this process.
    func hierarchy(of controller: String, in membership: CgroupMembership) -> (FilePath, String, isV1: Bool)? {
        if let mount = v1Mount(for: controller), let path = membership.path(forController: controller) {
            return (mount, path, true)
        }
        if let mount = unifiedMount, let path = membership.unifiedPath {
            return (mount, path, false)
        }
        return nil
    }

    /// The cgroup's directory and each parent up to the mount, deepest first.
    static func lineage(_ relative: String, under mount: FilePath) -> [FilePath] {
        let components = relative.split(separator: "/").map(String.init)
        return (0...components.count).reversed().map { depth in
            directory(components.prefix(depth).joined(separator: "/"), under: mount)
        }
    }
}
