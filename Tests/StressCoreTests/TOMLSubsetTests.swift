import StressCore
import Testing

@Suite("The TOML subset of the config file")
struct TOMLSubsetTests {
    @Test func readsTablesKeysAndEveryValueKind() throws {
        let entries = try TOMLSubset.parse("""
            # comment
            name = "a \\"quoted\\" #not-a-comment"   # trailing comment
            path = 'C:\\raw'
            count = 1_000
            ratio = -2.5
            on = true

            [policy]
            list = ["x", 'y', 3]
            empty = []
            """)
        #expect(entries.map(\.key) == ["name", "path", "count", "ratio", "on", "policy.list", "policy.empty"])
        #expect(entries.map(\.value) == [
            .string("a \"quoted\" #not-a-comment"), .string("C:\\raw"), .integer(1000), .float(-2.5), .boolean(true),
            .array([.string("x"), .string("y"), .integer(3)]), .array([]),
        ])
        #expect(entries.map(\.line) == [2, 3, 4, 5, 6, 9, 10])
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2, "set twice"),
        ("a = 512M", 1, "strings need quotes"),
        ("a = \"open", 1, "not closed"),
        ("a = [1, 2", 1, "not closed"),
        ("a = 1 b = 2", 1, "after the value"),
        ("[policy", 1, "table header"),
        ("\"quoted key\" = 1", 1, "quoted and dotted keys"),
        ("a.b = 1", 1, "expected `key = value`"),
        ("a =", 1, "missing"),
        ("a = \"\\u0041\"", 1, "unsupported escape"),
        ("ok = 1\n\n[t]\nx = nan", 4, "cannot read"),
    ])
    func namesTheLineAndWhatIsWrong(text: String, line: Int, words: String) {
        #expect {
            try TOMLSubset.parse(text)
        } throws: { error in
            guard let error = error as? TOMLSubset.SyntaxError else { return false }
            return error.line == line && error.reason.contains(words)
        }
    }
}
