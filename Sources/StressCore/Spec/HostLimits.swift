/// The facts about the host that validation and sizing need, gathered by the
/// caller (the CLI, later the API) before anything starts.
public struct HostLimits: Hashable, Sendable {
    public var cpu: CPUCapacity
    public var memory: MemoryCapacity
    /// The file system of a disk attack's path; nil when there is none or
    /// it could not be examined.
    public var disk: DiskCapacity?

    public init(cpu: CPUCapacity, memory: MemoryCapacity, disk: DiskCapacity? = nil) {
        self.cpu = cpu
        self.memory = memory
        self.disk = disk
    }
}
