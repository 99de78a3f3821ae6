import StressCore
import Testing

/// `--match` patterns: what they match, what they refuse and why, and that
/// a pattern which makes a backtracking engine take exponential time runs
/// here in time linear in the command line.
@Suite("Process attacks: --match patterns")
struct CommandLinePatternTests {
    @Test("matches", arguments: [
        ("python.*worker", "python3 -m app.worker --queue fast", true),
        ("^worker", "python3 -m app.worker", false),
        ("worker$", "python3 -m app.worker", true),
        ("\\bworker\\b", "python3 -m app.worker --x", true),
        ("\\bwork\\b", "python3 -m app.worker", false),
        ("\\Bork", "python3 -m app.worker", true),
        ("a{2,3}b", "xaab", true),
        ("^a{2,3}b", "ab", false),
        ("^(ab|cd)+$", "abcdab", true),
        ("^(ab|cd)+$", "abce", false),
        ("^(?:x|y)?z", "z", true),
        ("[^ ]+\\.py\\b", "python3 /srv/app/main.py --port 80", true),
        ("-p\\s+\\d{2,}", "redis-server -p 6379", true),
        ("[\\d_]x", "_x", true),
        ("[a-c-]z", "-z", true),
        ("[]]", "a]b", true),
        ("x{,2}", "x{,2}", true),
        ("a*?b", "aaab", true),
        ("(a*)*b", "aaaa", false),
        ("(a|aa)*c", String(repeating: "a", count: 40), false),
        ("\\.", "a.b", true),
        ("\\.", "ab", false),
        // Found by `make fuzz`: a signed count trapped; it is not a count, so the braces are literal.
        ("x{-1,5}", "x{-1,5}", true), ("x{+2}", "x{{2}", true),
    ])
    func matches(pattern: String, text: String, expected: Bool) throws {
        #expect(try CommandLinePattern(pattern).matches(text) == expected)
    }

    @Test("refused by name", arguments: [
        ("(unclosed", "unclosed '('"), ("a)", "unmatched ')'"), ("[abc", "unclosed '['"), ("*a", "nothing to repeat"),
        ("(a)\\1", "backreferences"), ("(?=a)", "lookaround"), ("(?i)a", "inline options"), ("a++", "possessive"),
        ("a**", "cannot follow"), ("\\p{L}", "unsupported escape"), ("a{3,2}", "wrong way round"), ("a{101}", "above 100"),
        ("[z-a]", "out of order"), ("^*", "nothing to repeat"), ("a\\", "trailing backslash"),
        ("((a{100}){100})", "too large"), ("", "1 to 512 characters"),
    ])
    func refused(pattern: String, problem: String) throws {
        let error = try #require(throws: InputError.self) { try CommandLinePattern(pattern) }
        #expect(error.field == "match")
        #expect("\(error)".contains(problem), "\(error)")
    }

    @Test func aLongPatternIsRefused() {
        #expect(throws: InputError.self) { try CommandLinePattern(String(repeating: "a", count: 513)) }
    }

    /// Issue 12: `(a+)+b` took Swift's Regex 15 s on 18 characters. Here
    /// the longest command line considered, 4 KiB of `a`, takes well under
    /// a second even unoptimized (a backtracking engine would not finish).
    @Test("catastrophic patterns stay linear", arguments: ["(a+)+b", "(a|aa)*b", "(a*)*b", "(a|a)+b", "(.*a){20}b"])
    func catastrophicPatterns(pattern: String) throws {
        let compiled = try CommandLinePattern(pattern)
        let text = String(repeating: "a", count: ProcessCandidate.commandLineLimit)
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!compiled.matches(text)) }
        #expect(elapsed < .seconds(2), "\(elapsed)")
    }
}
