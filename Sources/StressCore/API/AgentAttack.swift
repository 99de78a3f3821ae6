import FoundationEssentials

/// One attack as the agent reports it: running (with its latest progress
/// and lease), finished (with its report), or recovered at start-up (what
/// the replay undid), so a client that lost track never mistakes "unknown"
/// for "clean".
public struct AgentAttack: Codable, Sendable {
    public enum State: String, Codable, Sendable {
        case running, finished, recovered
    }

    public var id: AttackID
    public var state: State
    public var spec: AttackSpec?

    /// The spec's labels; none when a recovered record's spec did not decode.
    public var labels: AttackLabels { spec?.labels ?? AttackLabels() }
    /// What the attack achieves right now (running only).
    public var progress: String?
    /// The same in numbers, against what was asked (running only).
    public var level: AttackLevel?
    /// Each abort condition's latest check (running only, once checked).
    public var conditions: [ConditionVerdict]?
    /// Seconds until the lease runs out, if the attack has one.
    public var leaseSecondsLeft: Double?
    /// The floors it is held to (running only; a finished one's report has them).
    public var guards: Guard?
    public var report: AttackReport?
    /// What the start-up replay undid (recovered only).
    public var undone: UndoResult?

    public init(
        id: AttackID, state: State, spec: AttackSpec? = nil, progress: String? = nil, level: AttackLevel? = nil,
        conditions: [ConditionVerdict]? = nil, leaseSecondsLeft: Double? = nil, guards: Guard? = nil,
        report: AttackReport? = nil, undone: UndoResult? = nil
    ) {
        self.id = id
        self.state = state
        self.spec = spec
        self.progress = progress
        self.level = level
        self.conditions = conditions
        self.leaseSecondsLeft = leaseSecondsLeft
        self.guards = guards
        self.report = report
        self.undone = undone
    }

    /// A finished attack, as its report tells it: the agent's recent ones
    /// and the state directory's saved ones are listed alike.
    public init(finished report: AttackReport) {
        self.init(id: report.id, state: .finished, spec: report.spec, report: report)
    }
}
