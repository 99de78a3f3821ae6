import StressCore

/// How one kind of abort condition is evaluated on this host (the agent's
/// half of `ConditionCheck`): one look, returning what was measured and
/// whether it passed. A probe never throws: a target it cannot reach, a
/// file it cannot read, is a failed check with the reason in its detail,
/// since a condition that cannot be seen to hold must stop the attack.
protocol ConditionProbe: Sendable {
    func observe(on host: ProbeHost) async -> ConditionProbeResult
}

extension AbortCondition.Check {
    /// The probe of this kind of check: the one switch over kinds in this layer.
    var probe: any ConditionProbe {
        switch self {
        case .http(let check): check
        case .tcp(let check): check
        case .pressure(let check): check
        case .process(let check): check
        case .prometheus(let check): check
        }
    }
}
