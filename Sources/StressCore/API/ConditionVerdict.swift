/// An abort condition's latest check while its attack runs: whether the
/// service under test holds now (`/metrics`'s `stressd_abort_condition_holds`).
public struct ConditionVerdict: Codable, Hashable, Sendable {
    /// The condition as it would be typed (`AbortCondition.line`).
    public var condition: String
    public var passed: Bool
    /// What was seen, for a person: `answered 500 in 3 ms`.
    public var detail: String

    public init(condition: String, passed: Bool, detail: String) {
        self.condition = condition
        self.passed = passed
        self.detail = detail
    }
}
