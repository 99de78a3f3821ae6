/// What an attack would do, shown before anything is done (`--dry-run`,
/// `POST /v1/plans`): the explicit approval step a person or an
/// orchestrator can show before saying go. Built by the same admission
/// that starts attacks, so a plan that says it would start does, and one
/// that names a refusal would be refused for that reason.
public struct AttackPlan: Codable, Hashable, Sendable {
    public var dryRun = true
    public var kind: AttackKind
    public var spec: AttackSpec
    /// What it would do, in the line its start prints.
    public var summary: String
    public var footprint: AttackFootprint
    /// Each guard it would be held to, with the margin it would leave.
    public var floors: [PlannedFloor]
    /// kill and pause: the processes its selector reaches now.
    public var targets: PlannedTargets?
    /// Each abort condition (the operator's first) with its one look, now
    /// (at `elapsed` 0), as a report keeps its looks during the attack.
    public var abortConditions: [ConditionTimeline]
    /// Why it would be refused now (an abort condition failing); nil when
    /// it would start.
    public var refusal: String?

    public init(
        spec: AttackSpec, summary: String, footprint: AttackFootprint, floors: [PlannedFloor], targets: PlannedTargets?,
        abortConditions: [ConditionTimeline], refusal: String?
    ) {
        kind = spec.kind
        self.spec = spec
        self.summary = summary
        self.footprint = footprint
        self.floors = floors
        self.targets = targets
        self.abortConditions = abortConditions
        self.refusal = refusal
    }
}
