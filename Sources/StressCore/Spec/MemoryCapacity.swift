/// How much memory stressd's scope has. Inside a container the scope is the
/// cgroup's memory limit, not the host: 80% of "the memory" there means 80%
/// of the limit, and "available" is what the limit still leaves.
public struct MemoryCapacity: Hashable, Sendable, Codable {
    /// MemTotal of the host.
    public var hostTotalBytes: UInt64
    /// MemAvailable of the host: what new work can get without swapping.
    public var hostAvailableBytes: UInt64
    /// The tightest cgroup memory limit over stressd, if any.
    public var limitBytes: UInt64?
    /// What the cgroup holding that limit uses now.
    public var cgroupUsageBytes: UInt64?

    public init(hostTotalBytes: UInt64, hostAvailableBytes: UInt64, limitBytes: UInt64? = nil, cgroupUsageBytes: UInt64? = nil) {
        self.hostTotalBytes = hostTotalBytes
        self.hostAvailableBytes = hostAvailableBytes
        self.limitBytes = limitBytes
        self.cgroupUsageBytes = cgroupUsageBytes
    }

    /// The memory the process can really use: the cgroup limit, else MemTotal.
    public var limit: UInt64 {
        min(limitBytes ?? hostTotalBytes, hostTotalBytes)
    }

    /// What a new allocation can get now.
    public var available: UInt64 {
        guard let limitBytes, limitBytes < hostTotalBytes, let usage = cgroupUsageBytes else {
            return min(hostAvailableBytes, limit)
        }
        return min(hostAvailableBytes, limitBytes > usage ? limitBytes - usage : 0)
    }

    /// In use by everything in the scope.
    public var used: UInt64 {
        limit > available ? limit - available : 0
    }
}
