import LinuxHost
import StressCore

extension IOSpec: AttackKindEngine {
    /// The file system of `path`, opened without following links; with an
    /// I/O pressure cap, that the kernel offers PSI at all (a guard that
    /// could never read it would stop the attack at once).
    func readLimits(into limits: inout HostLimits) throws(InputError) {
        limits.disk = try DiskPathCheck.capacity(of: path)
        if maxPressure != nil, (try? ProcFS().pressure(.io)) ?? nil == nil {
            throw .rejected(
                field: "max-io-pressure",
                reason: "this kernel offers no I/O pressure to watch (/proc/pressure/io: PSI needs Linux 4.20 or later, "
                    + "CONFIG_PSI and no psi=0); drop --max-io-pressure")
        }
    }

    var processTargets: ProcessSpec? { nil }
    /// The working set takes space on it: one writer per file system.
    var writtenPath: String? { path }

    /// The file system's free-space floor, as for a fill: the working set
    /// was checked against it at admission, and anything else filling the
    /// disk meanwhile stops the attack too. With `max-io-pressure`, the
    /// host's I/O pressure as well.
    func guardRails(policy: SafetyPolicy, limits: HostLimits) -> Guard {
        Guard(diskFloorBytes: [path: policy.diskFloorBytes(size: limits.disk?.sizeBytes ?? 0)], maxIOPressure: maxPressure?.percent)
    }

    func driver(limits: HostLimits, policy: SafetyPolicy, environment: AgentEnvironment) throws(AgentError) -> any AttackDriver {
        try IODriver(spec: self, procFS: environment.procFS)
    }
}
