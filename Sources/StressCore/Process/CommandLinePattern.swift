/// A `--match` regular expression, compiled once when the spec is read and
/// matched in time linear in the command line's length, whatever the pattern.
///
/// Why not Swift's `Regex`: it backtracks, so a pattern such as `(a+)+b`
/// takes time exponential in the text (15 s on an 18-character command line
/// in issue 12), and a match in progress cannot be interrupted. The agent
/// runs as root and a request's survey must never stall it, so neither a
/// length cap (exponential in 18 characters is already too long) nor a time
/// budget checked between processes would bound it, and refusing "nested
/// quantifiers" is a guess that misses `(a|aa)*b` and friends. This type
/// instead compiles the pattern to a small program and runs it as a Thompson
/// NFA (Pike's VM, as RE2 and Go's `regexp` do): every position of the text
/// advances each program counter at most once, so a match costs at most
/// `text length × program size` steps, both capped. That rules out what
/// needs backtracking — backreferences, lookaround, possessive quantifiers —
/// which are refused by name when the spec is read (exit 2, HTTP 422).
///
/// Syntax: literals, `.`, classes `[a-z_]` and `[^…]`, `\d \w \s` and their
/// negations (ASCII), `^ $ \A \z \b \B`, groups `( )` and `(?: )`,
/// alternation `|`, and `* + ? {n} {n,} {n,m}` (a trailing `?` for laziness
/// is accepted and changes nothing: only whether it matches counts). Like
/// `grep -E`, it matches anywhere in the command line unless anchored.
public struct CommandLinePattern: Hashable, Sendable, CustomStringConvertible {
    /// The longest pattern accepted, in Unicode scalars.
    public static let maxPatternLength = 512
    /// The largest bound of a counted repetition such as `{1,100}`.
    public static let maxRepetition = 100
    /// The most instructions a compiled pattern may have: with the command
    /// line cap, the bound on one match's work.
    public static let maxProgramSize = 2_000

    /// The pattern as the user wrote it.
    public let source: String
    let program: [PatternInstruction]

    /// Compiles `source`; a pattern that is malformed, too large or uses
    /// unsupported syntax is bad input naming the problem and its offset.
    public init(_ source: String) throws(InputError) {
        let scalars = Array(source.unicodeScalars)
        // Empty, it would match every process with a command line.
        guard !scalars.isEmpty, scalars.count <= Self.maxPatternLength else {
            throw .outOfRange(field: "match", value: source, allowed: "a pattern of 1 to \(Self.maxPatternLength) characters")
        }
        do {
            var parser = PatternParser(scalars)
            program = try PatternCompiler.compile(parser.parse(), limit: Self.maxProgramSize)
        } catch {
            throw .malformed(field: "match", value: source, expected: "a regular expression (\(error.description))")
        }
        self.source = source
    }

    /// Whether the pattern matches anywhere in `text`. At most
    /// `text.unicodeScalars.count × program size` steps, and no recursion.
    public func matches(_ text: String) -> Bool {
        PatternMachine(program: program, text: Array(text.unicodeScalars)).run()
    }

    public var description: String { source }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.source == rhs.source }

    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
