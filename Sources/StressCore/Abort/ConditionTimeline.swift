/// One abort condition's evaluations over an attack, for its report.
public struct ConditionTimeline: Codable, Hashable, Sendable {
    /// The condition as it would be typed (`AbortCondition.line`).
    public var condition: String
    /// The unit of the evaluations' values.
    public var unit: String
    /// From the operator's config (`policy`) or the request (`request`).
    public var source: AbortCondition.Source
    public var evaluations: [ConditionEvaluation]

    public init(condition: String, unit: String, source: AbortCondition.Source, evaluations: [ConditionEvaluation]) {
        self.condition = condition
        self.unit = unit
        self.source = source
        self.evaluations = evaluations
    }

    /// `condition`'s evaluations, named as the report names it: its line,
    /// its check's unit, whose it is.
    public init(_ condition: AbortCondition, evaluations: [ConditionEvaluation]) {
        self.init(
            condition: condition.line, unit: type(of: condition.check.conditionCheck).unit, source: condition.source,
            evaluations: evaluations)
    }
}
