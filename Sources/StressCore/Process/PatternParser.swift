/// Recursive descent over the pattern's scalars:
/// ```
/// choice   := sequence ('|' sequence)*
/// sequence := (atom quantifier?)*
/// atom     := literal | '.' | class | group | anchor | escape
/// ```
/// Everything the linear matcher cannot do is refused here by name, so a
/// user learns which part to change rather than that "it failed".
struct PatternParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var depth = 0

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    mutating func parse() throws(PatternSyntaxError) -> PatternNode {
        let node = try parseChoice()
        if index < scalars.count {
            throw PatternSyntaxError(problem: "unmatched ')'", offset: index)
        }
        return node
    }

    private var next: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func parseChoice() throws(PatternSyntaxError) -> PatternNode {
        var branches = [try parseSequence()]
        while next == "|" {
            index += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .choice(branches)
    }

    private mutating func parseSequence() throws(PatternSyntaxError) -> PatternNode {
        var items: [PatternNode] = []
        while let scalar = next, scalar != "|", scalar != ")" {
            let start = index
            let atom = try parseAtom()
            guard let (min, max) = try parseQuantifier() else {
                items.append(atom)
                continue
            }
            if case .assertion = atom { throw PatternSyntaxError(problem: "nothing to repeat", offset: start) }
            if next == "?" { index += 1 }  // lazy: the same answer to "does it match"
            if let extra = next, "*+?".unicodeScalars.contains(extra) {
                throw PatternSyntaxError(
                    problem: extra == "+" ? "possessive quantifiers are not supported" : "a quantifier cannot follow another",
                    offset: index)
            }
            items.append(.repetition(atom, min: min, max: max))
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    /// `*`, `+`, `?` or a well-formed `{n}`, `{n,}`, `{n,m}`; any other `{`
    /// is a literal, as in grep -E and Swift's Regex.
    private mutating func parseQuantifier() throws(PatternSyntaxError) -> (Int, Int?)? {
        switch next {
        case "*": index += 1; return (0, nil)
        case "+": index += 1; return (1, nil)
        case "?": index += 1; return (0, 1)
        case "{": return try parseCountedQuantifier()
        default: return nil
        }
    }

    private mutating func parseCountedQuantifier() throws(PatternSyntaxError) -> (Int, Int?)? {
        let start = index
        guard let close = scalars[start...].firstIndex(of: "}") else { return nil }
        let parts = String(String.UnicodeScalarView(scalars[(start + 1)..<close])).split(separator: ",", omittingEmptySubsequences: false)
        // Digits only (found by `make fuzz`: `{-1,5}` trapped building the program).
        guard (1...2).contains(parts.count), let min = Int(decimalDigits: parts[0]) else { return nil }
        let max: Int?
        if parts.count == 1 {
            max = min
        } else if parts[1].isEmpty {
            max = nil
        } else if let bound = Int(decimalDigits: parts[1]) {
            max = bound
        } else {
            return nil
        }
        guard max.map({ $0 >= min }) ?? true else {
            throw PatternSyntaxError(problem: "{\(min),\(max ?? 0)} has its bounds the wrong way round", offset: start)
        }
        guard Swift.max(min, max ?? 0) <= CommandLinePattern.maxRepetition else {
            throw PatternSyntaxError(problem: "a repetition count above \(CommandLinePattern.maxRepetition)", offset: start)
        }
        index = close + 1
        return (min, max)
    }

    private mutating func parseAtom() throws(PatternSyntaxError) -> PatternNode {
        let start = index
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "(": return try parseGroup(openedAt: start)
        case "[": return .set(try parseClass(openedAt: start))
        case ".": return .set(ScalarSet(ranges: [0x0A...0x0A], negated: true))
        case "^": return .assertion(.textStart)
        case "$": return .assertion(.textEnd)
        case "\\": return try parseEscape()
        case "*", "+", "?": throw PatternSyntaxError(problem: "nothing to repeat", offset: start)
        default: return .scalar(scalar)
        }
    }

    private mutating func parseGroup(openedAt start: Int) throws(PatternSyntaxError) -> PatternNode {
        if next == "?" {
            guard index + 1 < scalars.count, scalars[index + 1] == ":" else {
                throw PatternSyntaxError(
                    problem: "'(?' groups (lookaround, named groups, inline options) are not supported; use ( ) or (?: )",
                    offset: start)
            }
            index += 2
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= 100 else { throw PatternSyntaxError(problem: "groups nested more than 100 deep", offset: start) }
        let inner = try parseChoice()
        guard next == ")" else { throw PatternSyntaxError(problem: "unclosed '('", offset: start) }
        index += 1
        return inner
    }

    /// After a backslash, outside a class.
    private mutating func parseEscape() throws(PatternSyntaxError) -> PatternNode {
        guard let scalar = next else { throw PatternSyntaxError(problem: "a trailing backslash", offset: index - 1) }
        switch scalar {
        case "A": index += 1; return .assertion(.textStart)
        case "z", "Z": index += 1; return .assertion(.textEnd)
        case "b": index += 1; return .assertion(.wordBoundary)
        case "B": index += 1; return .assertion(.notWordBoundary)
        default:
            if let shorthand = parseClassEscape() { return .set(shorthand) }
            return .scalar(try parseLiteralEscape())
        }
    }

    /// `\d \D \w \W \s \S` after a backslash, in or out of a class.
    private mutating func parseClassEscape() -> ScalarSet? {
        guard let scalar = next, let set = ScalarSet.shorthand(scalar) else { return nil }
        index += 1
        return set
    }

    /// `\n \t \r`, or an escaped punctuation character as itself.
    private mutating func parseLiteralEscape() throws(PatternSyntaxError) -> Unicode.Scalar {
        guard index < scalars.count else { throw PatternSyntaxError(problem: "a trailing backslash", offset: index - 1) }
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "1"..."9":
            throw PatternSyntaxError(problem: "backreferences (\\\(scalar)) are not supported: they need backtracking", offset: index - 2)
        default:
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else {
                throw PatternSyntaxError(problem: "unsupported escape \\\(scalar)", offset: index - 2)
            }
            return scalar
        }
    }

    /// After `[`: `^` to negate, a leading `]` as itself, ranges `a-z`,
    /// shorthand escapes, and a `-` first or last as itself.
    private mutating func parseClass(openedAt start: Int) throws(PatternSyntaxError) -> ScalarSet {
        var set = ScalarSet(ranges: [], negated: next == "^")
        if set.negated { index += 1 }
        var first = true
        while let scalar = next, scalar != "]" || first {
            first = false
            if scalar == "\\", index + 1 < scalars.count {
                index += 1
                if let shorthand = parseClassEscape() {
                    set.members.append(shorthand)
                    continue
                }
            }
            let low = scalar == "\\" ? try parseLiteralEscape() : scalars[index]
            if scalar != "\\" { index += 1 }
            guard next == "-", index + 1 < scalars.count, scalars[index + 1] != "]" else {
                set.ranges.append(low.value...low.value)
                continue
            }
            index += 1
            let highScalar = scalars[index]
            index += 1
            let high = highScalar == "\\" ? try parseLiteralEscape() : highScalar
            guard low.value <= high.value else {
                throw PatternSyntaxError(problem: "the range \(low)-\(high) is out of order", offset: index - 3)
            }
            set.ranges.append(low.value...high.value)
        }
        guard next == "]" else { throw PatternSyntaxError(problem: "unclosed '['", offset: start) }
        index += 1
        return set
    }
}
