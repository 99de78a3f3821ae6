import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Issue 14: `{"kind":"cpu","duration":"1s","kind":"mem"}` started an attack.
extension AttackRoutesTests {
    @Test func aRequestWithAKeyGivenTwiceIsRefused() async throws {
        try await withAPI { client, target in
            let body = #"{"kind": "disk", "path": "\#(target)", "size": "1M", "duration": "30s", "size": "2M"}"#
            let response = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent)
            #expect(try json(response)["field"] as? String == "size")
            #expect(try json(response)["detail"] as? String == "size: given twice; a request names each field once")
            let list = try await client.execute(uri: "/v1/attacks", method: .get, headers: auth)
            #expect(try TestAPI.list(list).isEmpty, "nothing started")
        }
    }
}
