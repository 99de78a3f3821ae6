import LinuxHost
import StressCore

/// The engine's half of an attack kind (`AttackKindSpec` is the spec's):
/// what admission reads and surveys for it, which floors guard it, what it
/// writes to, and its driver. One conformance per kind, in the kind's
/// folder (`CPU/CPUSpec+Engine.swift`...); `AttackSpec.Parameters.engine`
/// is this layer's only switch over kinds, so the compiler asks a new kind
/// for each of these instead of an `if case` somewhere forgetting it.
protocol AttackKindEngine: AttackKindSpec {
    /// Reads what admission needs beyond the host's CPU and memory (a fill
    /// reads its path's file system), before the spec is validated.
    func readLimits(into limits: inout HostLimits) throws(InputError)
    /// The processes the attack reaches, surveyed at admission so that a
    /// selector with no target is refused before anything is touched.
    var processTargets: ProcessSpec? { get }
    /// The path whose file system the attack writes to: an agent lets one
    /// such attack at a time write to a file system, and watches its free space.
    var writtenPath: String? { get }
    /// The floors the supervisor's guards hold the attack to.
    func guardRails(policy: SafetyPolicy, limits: HostLimits) -> Guard
    /// The driver that does the kind's work under the supervisor.
    func driver(limits: HostLimits, policy: SafetyPolicy, environment: AgentEnvironment) throws(AgentError) -> any AttackDriver
}

extension AttackSpec.Parameters {
    /// The kind's engine conformance.
    var engine: any AttackKindEngine {
        switch self {
        case .cpu(let cpu): cpu
        case .mem(let memory): memory
        case .disk(let disk): disk
        case .kill(let kill): kill
        case .pause(let pause): pause
        case .io(let io): io
        }
    }
}
