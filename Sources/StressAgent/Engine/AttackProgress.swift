import StressCore

/// What a running attack tells the people watching it, once per sample.
public struct AttackProgress: Sendable {
    /// Seconds since the attack started.
    public var elapsed: Double
    public var remaining: Duration
    /// What the attack achieves right now, e.g. `load per core: 50.1% 49.8%`.
    public var line: String
    /// The same in numbers; nil from a remote agent's progress line.
    public var level: AttackLevel?
    /// Each abort condition's latest check, once checked.
    public var conditions: [ConditionVerdict]

    /// Public so progress that arrives from elsewhere (a remote agent's
    /// `progress`) is shown the same way.
    public init(elapsed: Double, remaining: Duration, line: String, level: AttackLevel? = nil, conditions: [ConditionVerdict] = []) {
        self.elapsed = elapsed
        self.remaining = remaining
        self.line = line
        self.level = level
        self.conditions = conditions
    }
}
