import LinuxHost
import StressCore

extension DiskSpec: AttackKindEngine {
    /// The file system of `path`, opened without following links.
    func readLimits(into limits: inout HostLimits) throws(InputError) {
        limits.disk = try DiskPathCheck.capacity(of: path)
    }

    var processTargets: ProcessSpec? { nil }
    var writtenPath: String? { path }

    /// The file system's free-space floor, read through the folder's own
    /// descriptor (`DiskDriver.watchedDirectories`).
    func guardRails(policy: SafetyPolicy, limits: HostLimits) -> Guard {
        Guard(diskFloorBytes: [path: policy.diskFloorBytes(size: limits.disk?.sizeBytes ?? 0)])
    }

    func driver(limits: HostLimits, policy: SafetyPolicy, environment: AgentEnvironment) throws(AgentError) -> any AttackDriver {
        try DiskDriver(spec: self, policy: policy)
    }
}
