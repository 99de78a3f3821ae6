import Foundation
import Hummingbird
import HummingbirdTesting
import StressServer
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

extension AttackRoutesTests {
    @Test func aRequestWithAKeyGivenTwiceIsRefused() async throws {
        try await withAPI { client, target in
            let body = #"{"kind": "disk", "path": "\#(target)", "size": "1M", "duration": "30s", "size": "2M"}"#
            let response = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent)
            #expect(try json(response)["field"] as? String == "size")
            #expect(try json(response)["detail"] as? String == "'size' is given twice; a request names each field once")
            let list = try await client.execute(uri: "/v1/attacks", method: .get, headers: auth)
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [Any])?.isEmpty == true, "nothing started")
        }
    }
}
