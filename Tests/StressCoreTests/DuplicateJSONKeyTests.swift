import StressCore
import Testing

/// Issue 14: `{"kind":"cpu","duration":"1s","kind":"mem"}` started an attack.
@Suite("A key given twice is refused")
struct DuplicateJSONKeyTests {
    @Test(arguments: [
        (#"{"kind":"cpu","duration":"1s","kind":"mem"}"#, "kind"),
        (#"{"kind":"cpu","\u006bind":"mem"}"#, "kind"),
        (#" { "a" : {"x": [1, {"b": "}"}]}, "c": "a,\"b\"", "a": 2 } "#, "a"),
        (#"{"labels": {"run": "1"}, "kind": "cpu", "labels": "run=2"}"#, "labels"),
    ])
    func findsTheRepeatedKey(body: String, key: String) {
        #expect(DuplicateJSONKey.first(in: Array(body.utf8)) == key)
    }

    @Test(arguments: [
        #"{"kind":"cpu","duration":"1s","labels":{"kind":"x","duration":"y"}}"#,
        #"{"a":"{\"a\":1}","b":["a","a"]}"#,
        #"{}"#, #"[1,1]"#, #"not json"#, #"{"a":1,"#, #"{"a""#,
        String(repeating: "[", count: 100_000),
    ])
    func leavesEverythingElseToTheDecoder(body: String) {
        #expect(DuplicateJSONKey.first(in: Array(body.utf8)) == nil)
    }
}
