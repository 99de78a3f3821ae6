/// One step of a compiled `--match` pattern (Thompson's construction).
enum PatternInstruction: Hashable {
    /// Consumes this scalar.
    case scalar(Unicode.Scalar)
    /// Consumes one scalar of the set.
    case set(ScalarSet)
    /// Goes on only if the position passes the check.
    case assertion(PatternAssertion)
    /// Goes on at both places at once.
    case split(Int, Int)
    case jump(Int)
    case match
}
