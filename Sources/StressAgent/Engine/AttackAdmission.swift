import LinuxHost
import StressCore

/// The one way an attack is admitted, by the agent and by the one-shot CLI
/// alike: the host's limits (for a fill, with the file system of its path),
/// the safety policy made stricter by the request, the spec checked against
/// both, a lease longer than nothing, and for kill and pause a survey of the
/// processes the selector reaches, so that bad input and a selector with no
/// target are refused before any process is touched; and last, every abort
/// condition is checked once (`SteadyState`): a system not in its steady
/// state is not attacked (a plan, `forPlan`, shows the failure instead).
/// Nothing is created.
/// What is running already (the agent's capacity, fills on one file
/// system) is the caller's to check: only the agent runs several attacks.
public struct AttackAdmission: Sendable {
    public let spec: AttackSpec
    public let limits: HostLimits
    /// The policy the attack is held to: the base one, made stricter.
    public let policy: SafetyPolicy
    /// Kill and pause: which processes they reach, and the ones that
    /// selector reaches now.
    public let targets: ProcessSpec?
    public let survey: ProcessTargeting.Survey?
    /// Each abort condition (the operator's first) and its one look.
    public let steadyState: [ConditionTimeline]

    /// `hostLimits` reads the host's CPU and memory; the fill path's file
    /// system is read here. The survey runs on a thread of its own, so an
    /// agent's other requests and leases are served meanwhile. Abort
    /// conditions look at the host through `procFS` and `cgroupFS`, as the
    /// attack's own watch will.
    public init(
        _ spec: AttackSpec, policy base: SafetyPolicy, stricter: StricterPolicy = StricterPolicy(),
        lease: Duration? = nil, forPlan: Bool = false, procFS: ProcFS = ProcFS(), cgroupFS: CgroupFS = CgroupFS(),
        hostLimits: () throws(HostError) -> HostLimits
    ) async throws(AgentError) {
        var limits: HostLimits
        do {
            limits = try hostLimits()
        } catch {
            throw .host(error)
        }
        do throws(InputError) {
            try spec.parameters.engine.readLimits(into: &limits)
            // Before any process is looked at: an empty or malformed selector
            // is bad input, not a selector that matched nothing.
            policy = try stricter.applied(to: base, kind: spec.kind, host: limits)
            try spec.validate(host: limits, policy: policy)
            if let lease, lease <= .zero {
                throw .outOfRange(field: "lease", value: lease.humanReadable, allowed: "longer than 0s")
            }
        } catch {
            throw .input(error)
        }
        targets = spec.parameters.engine.processTargets
        if let targets {
            survey = try await ProcessTargeting(spec: targets).preflightOnOwnThread()
        } else {
            survey = nil
        }
        steadyState = await SteadyState.look(at: policy.abortConditions, on: ProbeHost(procFS: procFS, cgroupFS: cgroupFS))
        if !forPlan, let refusal = SteadyState.refusal(steadyState) {
            throw refusal
        }
        self.spec = spec
        self.limits = limits
    }
}
