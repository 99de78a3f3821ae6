import LinuxHost
import StressCore

extension IOSpec: AttackKindEngine {
    /// The file system of `path`, opened without following links.
    func readLimits(into limits: inout HostLimits) throws(InputError) {
        limits.disk = try DiskPathCheck.capacity(of: path)
    }

    var processTargets: ProcessSpec? { nil }
    /// The working set takes space on it: one writer per file system.
    var writtenPath: String? { path }

    /// The file system's free-space floor, as for a fill: the working set
    /// was checked against it at admission, and anything else filling the
    /// disk meanwhile stops the attack too.
    func guardRails(policy: SafetyPolicy, limits: HostLimits) -> Guard {
        Guard(diskFloorBytes: [path: policy.diskFloorBytes(size: limits.disk?.sizeBytes ?? 0)])
    }

    func driver(limits: HostLimits, policy: SafetyPolicy, environment: AgentEnvironment) throws(AgentError) -> any AttackDriver {
        try IODriver(spec: self, procFS: environment.procFS)
    }
}
