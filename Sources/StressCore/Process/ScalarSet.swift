/// Which Unicode scalars one position of a `--match` pattern accepts: a
/// class such as `[a-z_]`, `.`, or a shorthand such as `\d`. Shorthands
/// are ASCII, as in grep -E: a command line is mostly ASCII and a class
/// that means the same on every host is easier to reason about.
struct ScalarSet: Hashable {
    var ranges: [ClosedRange<UInt32>]
    /// Shorthands written inside a class (`[\d_]`), each with its own negation.
    var members: [ScalarSet] = []
    var negated: Bool

    init(ranges: [ClosedRange<UInt32>], members: [ScalarSet] = [], negated: Bool) {
        self.ranges = ranges
        self.members = members
        self.negated = negated
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let listed = ranges.contains { $0.contains(scalar.value) } || members.contains { $0.contains(scalar) }
        return listed != negated
    }

    static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    /// Space, tab, newline, vertical tab, form feed, carriage return.
    static let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]

    /// The set `\d \D \w \W \s \S` stands for; nil for any other letter.
    static func shorthand(_ letter: Unicode.Scalar) -> ScalarSet? {
        switch letter {
        case "d": ScalarSet(ranges: digit, negated: false)
        case "D": ScalarSet(ranges: digit, negated: true)
        case "w": ScalarSet(ranges: word, negated: false)
        case "W": ScalarSet(ranges: word, negated: true)
        case "s": ScalarSet(ranges: space, negated: false)
        case "S": ScalarSet(ranges: space, negated: true)
        default: nil
        }
    }

    /// Whether `scalar` is a word character, for `\b` and `\B`.
    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        word.contains { $0.contains(scalar.value) }
    }
}
