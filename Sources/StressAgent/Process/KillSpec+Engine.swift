import LinuxHost
import StressCore

extension KillSpec: AttackKindEngine {
    func readLimits(into limits: inout HostLimits) throws(InputError) {}
    var processTargets: ProcessSpec? { targets }
    var writtenPath: String? { nil }

    /// A kill loads nothing the host's floors measure.
    func guardRails(policy: SafetyPolicy, limits: HostLimits) -> Guard { Guard() }

    func driver(limits: HostLimits, policy: SafetyPolicy, environment: AgentEnvironment) throws(AgentError) -> any AttackDriver {
        KillDriver(spec: self, procFS: environment.procFS)
    }
}
