import StressCore

extension HostObserver {
    /// Everything validation needs to know about the host: the CPU this
    /// process may use and its memory (MemTotal/MemAvailable and, inside a
    /// cgroup with a memory limit, that limit and its usage); the cgroup
    /// files are read once for both.
    public func limits() throws(HostError) -> HostLimits {
        try limits(reading: CgroupLimitFiles(cgroups: cgroups, membership: proc.cgroupMembership()))
    }

    /// As `limits()`, through cgroup files found earlier.
    public func limits(reading files: CgroupLimitFiles) throws(HostError) -> HostLimits {
        let limits = try files.read()
        return HostLimits(cpu: try cpuCapacity(within: limits), memory: MemoryCapacity(memInfo: try proc.memInfo(), cgroup: limits))
    }
}
