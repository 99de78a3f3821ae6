import StressCore

extension HostObserver {
    /// How much memory this process's scope has: MemTotal/MemAvailable and,
    /// inside a cgroup with a memory limit, that limit and its usage.
    public func memoryCapacity() throws(HostError) -> MemoryCapacity {
        let info = try proc.memInfo()
        let limits = try cgroups.limits(for: proc.cgroupMembership())
        return MemoryCapacity(
            hostTotalBytes: info.totalBytes, hostAvailableBytes: info.availableBytes,
            limitBytes: limits.memoryLimitBytes, cgroupUsageBytes: limits.memoryUsageBytes)
    }

    /// Everything validation needs to know about the host.
    public func limits() throws(HostError) -> HostLimits {
        HostLimits(cpu: try cpuCapacity(), memory: try memoryCapacity())
    }
}
