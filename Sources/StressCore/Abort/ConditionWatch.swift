/// Judges one abort condition's evaluations over time: `misses` failures in
/// a row are a breach; a pass in between starts the count again. Pure: the
/// agent's probe loop feeds it evaluations.
public struct ConditionWatch: Sendable {
    public let condition: AbortCondition
    public private(set) var missesInARow = 0

    public init(condition: AbortCondition) {
        self.condition = condition
    }

    /// The breach this evaluation makes, if it is the `misses`-th failure in a row.
    public mutating func judge(_ evaluation: ConditionEvaluation) -> Breach? {
        guard !evaluation.passed else {
            missesInARow = 0
            return nil
        }
        missesInARow += 1
        guard missesInARow >= condition.misses else { return nil }
        return Breach(condition: condition.line, detail: evaluation.detail, elapsed: evaluation.elapsed, misses: missesInARow)
    }

    /// A condition that stopped an attack: which, what was seen and when.
    public struct Breach: Hashable, Sendable {
        public var condition: String
        public var detail: String
        public var elapsed: Double
        public var misses: Int

        /// For the outcome: `http http://… status=200: answered 500 in 3 ms at 2.31 s (2 misses in a row)`.
        public var reason: String {
            let inARow = misses > 1 ? " (\(misses) misses in a row)" : ""
            return "\(detail) at \(elapsed.fixed(2)) s\(inARow)"
        }
    }
}
