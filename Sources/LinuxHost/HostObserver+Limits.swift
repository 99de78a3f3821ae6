import StressCore

extension HostObserver {
    /// How much memory this process's scope has: MemTotal/MemAvailable and,
    /// inside a cgroup with a memory limit, that limit and its usage.
    public func memoryCapacity() throws(HostError) -> MemoryCapacity {
        try memoryGauge().read()
    }

    /// A reader of `memoryCapacity()` that finds the process's cgroup files
    /// now and only reads them afterwards: for readings taken many times.
    public func memoryGauge() throws(HostError) -> MemoryGauge {
        MemoryGauge(proc: proc, files: CgroupLimitFiles(cgroups: cgroups, membership: try proc.cgroupMembership()))
    }

    /// Everything validation needs to know about the host; the cgroup files
    /// are read once for both.
    public func limits() throws(HostError) -> HostLimits {
        let limits = try cgroups.limits(for: proc.cgroupMembership())
        return HostLimits(cpu: try cpuCapacity(within: limits), memory: MemoryCapacity(memInfo: try proc.memInfo(), cgroup: limits))
    }
}
