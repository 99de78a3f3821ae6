import LinuxHost

/// What the kernel writes in /proc and the cgroup file systems. The kernel is
/// trusted, but not its format across versions, nor a file cut short by a
/// process that exits mid-read: a parser may refuse, never trap.
extension FuzzTarget {
    static let kernelFileTargets: [FuzzTarget] = [
        parser("meminfo", "/proc/meminfo") { _ = try MemInfo(parsing: $0) },
        parser("stat", "/proc/stat") { _ = try CPUTimes(parsing: $0) },
        parser("loadavg", "/proc/loadavg") { _ = try LoadAverage(parsing: $0) },
        parser("pressure", "/proc/pressure/* and a cgroup's *.pressure") { _ = try PressureStall(parsing: $0) },
        parser("mountinfo", "/proc/PID/mountinfo") { _ = try MountInfo(parsing: $0) },
        parser("diskstats", "/proc/diskstats, 14 to 20 fields a line") { _ = try DiskStats(parsing: $0) },
        parser("pid-stat", "/proc/PID/stat, whose comm may hold spaces and parentheses") { _ = try ProcessStat(parsing: $0) },
        parser("pid-status", "/proc/PID/status") { _ = try ProcessStatus(parsing: $0) },
        parser("pid-cgroup", "/proc/PID/cgroup, v1, v2 and hybrid") { _ = try CgroupMembership(parsing: $0) },
        parser("memory-events", "memory.events (v2) and memory.oom_control (v1)") { _ = try MemoryEvents(parsing: $0, file: "memory.events") },
        parser("cgroup-cpu-usage", "cpu.stat usage_usec (v2) and cpuacct.usage (v1)") { text in
            _ = try CgroupCPUUsage.seconds(parsing: text, isV2: true, file: "cpu.stat")
            _ = try CgroupCPUUsage.seconds(parsing: text, isV2: false, file: "cpuacct.usage")
        },
        FuzzTarget("cgroup-limits", "memory.max, memory.current, cpu.max, cfs quota and period (a newline between)") { input throws(Violation) in
            let text = input.text
            _ = try? CgroupLimits.memoryLimit(parsing: text, file: "memory.max")
            _ = try? CgroupLimits.memoryUsage(parsing: text, file: "memory.current")
            if let cores = try? CgroupLimits.cpuMax(parsing: text, file: "cpu.max") {
                try require(cores > 0 && cores.isFinite, "cpu.max '\(text)' gave \(cores) cores")
            }
            let (quota, period) = input.twoLines
            if let cores = try? CgroupLimits.cfsQuota(parsing: quota, period: period, file: "cpu.cfs_quota_us") {
                try require(cores > 0 && cores.isFinite, "quota '\(quota)' over period '\(period)' gave \(cores) cores")
            }
        },
    ]

    /// A target whose only property is: refuse or parse, never trap.
    private static func parser(_ name: String, _ file: String, _ parse: @escaping @Sendable (String) throws -> Void) -> FuzzTarget {
        FuzzTarget(name, "\(file) parser") { input throws(Violation) in
            _ = try? parse(input.text)
        }
    }
}
