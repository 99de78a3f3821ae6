import LinuxHost
import StressCore

extension MemorySpec: AttackKindEngine {
    func readLimits(into limits: inout HostLimits) throws(InputError) {}
    var processTargets: ProcessSpec? { nil }
    var writtenPath: String? { nil }

    /// MemAvailable's floor, in bytes of the limit stressd runs under.
    func guardRails(policy: SafetyPolicy, limits: HostLimits) -> Guard {
        Guard(memoryFloorBytes: policy.memoryFloorBytes(limit: limits.memory.limit))
    }

    func driver(limits: HostLimits, policy: SafetyPolicy, environment: AgentEnvironment) throws(AgentError) -> any AttackDriver {
        MemoryDriver(spec: self, capacity: limits.memory, policy: policy)
    }
}
