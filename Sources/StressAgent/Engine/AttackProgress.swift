/// What a running attack tells the people watching it, once per sample.
public struct AttackProgress: Sendable {
    /// Seconds since the attack started.
    public var elapsed: Double
    public var remaining: Duration
    /// What the attack achieves right now, e.g. `load per core: 50.1% 49.8%`.
    public var line: String

    /// Public so progress that arrives from elsewhere (a remote agent's
    /// `progress`) is shown the same way.
    public init(elapsed: Double, remaining: Duration, line: String) {
        self.elapsed = elapsed
        self.remaining = remaining
        self.line = line
    }
}
