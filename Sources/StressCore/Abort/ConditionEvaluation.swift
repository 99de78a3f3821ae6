/// One check of an abort condition: when, what it measured, and whether it
/// passed. A report keeps every one (`ConditionTimeline`), so a chart can
/// show the service's health beside the resources the attack pushed.
public struct ConditionEvaluation: Codable, Hashable, Sendable {
    /// Seconds since the attack started.
    public var elapsed: Double
    /// What was measured, in the check's unit (`ConditionCheck.unit`): a
    /// latency in ms, a pressure in %, a process count, a query's value;
    /// nil when nothing could be (a refused connection, an unreadable file).
    public var value: Double?
    public var passed: Bool
    /// What was seen, for a person: `answered 500 in 3 ms`.
    public var detail: String

    public init(elapsed: Double, value: Double?, passed: Bool, detail: String) {
        self.elapsed = elapsed
        self.value = value
        self.passed = passed
        self.detail = detail
    }
}
