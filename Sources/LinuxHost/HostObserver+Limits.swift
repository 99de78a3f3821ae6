import StressCore

extension HostObserver {
    /// How much memory this process's scope has: MemTotal/MemAvailable and,
    /// inside a cgroup with a memory limit, that limit and its usage.
    public func memoryCapacity() throws(HostError) -> MemoryCapacity {
        try memoryCapacity(within: cgroups.limits(for: proc.cgroupMembership()))
    }

    func memoryCapacity(within limits: CgroupLimits) throws(HostError) -> MemoryCapacity {
        let info = try proc.memInfo()
        return MemoryCapacity(
            hostTotalBytes: info.totalBytes, hostAvailableBytes: info.availableBytes,
            limitBytes: limits.memoryLimitBytes, cgroupUsageBytes: limits.memoryUsageBytes)
    }

    /// Everything validation needs to know about the host; the cgroup files
    /// are read once for both.
    public func limits() throws(HostError) -> HostLimits {
        let limits = try cgroups.limits(for: proc.cgroupMembership())
        return HostLimits(cpu: try cpuCapacity(within: limits), memory: try memoryCapacity(within: limits))
    }
}
