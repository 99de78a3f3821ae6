/// A `--match` pattern as a tree, before it is compiled.
indirect enum PatternNode {
    case scalar(Unicode.Scalar)
    case set(ScalarSet)
    case assertion(PatternAssertion)
    case sequence([PatternNode])
    case choice([PatternNode])
    /// `max` nil: unbounded.
    case repetition(PatternNode, min: Int, max: Int?)
}

/// What a zero-width part of a pattern checks about the position.
enum PatternAssertion: Hashable {
    case textStart
    case textEnd
    case wordBoundary
    case notWordBoundary
}
