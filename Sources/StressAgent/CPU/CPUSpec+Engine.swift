import LinuxHost
import StressCore

extension CPUSpec: AttackKindEngine {
    func readLimits(into limits: inout HostLimits) throws(InputError) {}
    var processTargets: ProcessSpec? { nil }
    var writtenPath: String? { nil }

    /// The load average, when the policy caps it.
    func guardRails(policy: SafetyPolicy, limits: HostLimits) -> Guard {
        Guard(maxLoadAverage: policy.maxLoadAverage)
    }

    /// A `total` load is measured over the scope stressd runs in (its
    /// cgroup when that has a CPU limit), so it needs the scope's meter.
    func driver(limits: HostLimits, policy: SafetyPolicy, environment: AgentEnvironment) throws(AgentError) -> any AttackDriver {
        CPUDriver(spec: self, capacity: limits.cpu, meter: mode == .total ? environment.cpuScopeMeter() : nil)
    }
}
