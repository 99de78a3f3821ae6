import Foundation
import Hummingbird
import HummingbirdTesting
import StressServer
import TestSupport
import Testing

/// Labels scope lists and halts to one owner's attacks (issue 13: a
/// `DELETE /v1/attacks?label=x` halted every attack on the agent).
extension AttackRoutesTests {
    func start(_ client: any TestClientProtocol, _ body: String) async throws -> (id: String, response: TestResponse) {
        let response = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return (try #require(try json(response)["id"] as? String), response)
    }

    func ids(_ client: any TestClientProtocol, _ uri: String) async throws -> [String] {
        let response = try await client.execute(uri: uri, method: .get, headers: auth)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try TestAPI.list(response).compactMap { $0["id"] as? String }
    }

    @Test func labelsScopeListsAndHalts() async throws {
        try await withAPI { client, target in
            let (fill, created) = try await start(
                client, #"{"kind": "disk", "path": "\#(target)", "size": "1M", "duration": "30s", "labels": {"run": "a-1", "team": "web"}}"#)
            #expect(created.headers[.location] == "/v1/attacks/\(fill)")
            #expect((try json(created)["spec"] as? [String: Any])?["labels"] as? [String: String] == ["run": "a-1", "team": "web"])
            let (pause, _) = try await start(
                client, #"{"kind": "pause", "name": "no-such-proc-x", "allow-none": true, "duration": "30s", "labels": "run=b-2"}"#)

            #expect(try await ids(client, "/v1/attacks?label=run=a-1") == [fill])
            #expect(try await ids(client, "/v1/attacks?label=run%3Db-2&state=running") == [pause])
            #expect(try await ids(client, "/v1/attacks?label=run=a-1&label=team=web") == [fill])
            #expect(try await ids(client, "/v1/attacks?label=run=a-1&label=team=db").isEmpty)
            #expect(try await ids(client, "/v1/attacks?state=finished").isEmpty)
            let summaries = try await client.execute(uri: "/v1/attacks?label=team=web", method: .get, headers: auth)
            let summary = try #require(try TestAPI.list(summaries).first)
            #expect(summary["labels"] as? [String: String] == ["run": "a-1", "team": "web"])

            // A misspelt filter is refused, and nothing is stopped.
            let misspelt = try await client.execute(uri: "/v1/attacks?lable=run=a-1", method: .delete, headers: auth)
            #expect(misspelt.status == .badRequest)
            #expect(try json(misspelt)["field"] as? String == "lable")
            let noState = try await client.execute(uri: "/v1/attacks?state=running", method: .delete, headers: auth)
            #expect(noState.status == .badRequest)
            let badLabel = try await client.execute(uri: "/v1/attacks?label=run", method: .delete, headers: auth)
            #expect(badLabel.status == .badRequest)
            #expect(try json(badLabel)["detail"] as? String == "invalid label 'run': expected key=value, such as run=42")
            #expect(try await client.execute(uri: "/v1/attacks/\(fill)?force=1", method: .delete, headers: auth).status == .badRequest)
            #expect(try await ids(client, "/v1/attacks?state=running").sorted() == [fill, pause].sorted())

            let halted = try await client.execute(uri: "/v1/attacks?label=run=a-1", method: .delete, headers: auth)
            #expect(halted.status == .ok)
            let reports = try TestAPI.list(halted)
            #expect(reports.compactMap { $0["id"] as? String } == [fill])
            #expect(try await ids(client, "/v1/attacks?state=running") == [pause])
            #expect(try await ids(client, "/v1/attacks?state=finished&label=team=web") == [fill])

            let rest = try await client.execute(uri: "/v1/attacks", method: .delete, headers: auth)
            #expect(rest.status == .ok)
            #expect(try await ids(client, "/v1/attacks?state=running").isEmpty)
        }
    }

    @Test(arguments: [
        (#"{"labels": ["run"]}"#, "labels: got an array, expected an object of string values such as {\"run\": \"42\"}, or the text run=42,team=web"),
        (#"{"labels": {"Run": "1"}}"#, "invalid labels 'Run': expected a label key of 1 to 63 characters: a-z and 0-9 first, then a-z, 0-9, '.', '_', '-' or '/'"),
        (#"{"labels": {"run": "a b"}}"#, "invalid labels 'a b': expected a label value of at most 63 characters: A-Z, a-z, 0-9, '.', '_', ':', '/' or '-'"),
        (#"{"labels": "run=1,run=2"}"#, "labels: the label 'run' is given twice"),
        (#"{"labels": {"run": 1}}"#, "labels: got an object, expected an object of string values such as {\"run\": \"42\"}, or the text run=42,team=web"),
    ])
    func badLabelsAreRefusedWithTheirValue(labels: String, detail: String) async throws {
        try await withAPI { client, target in
            var body = labels
            body.removeLast()
            body += #", "kind": "disk", "path": "\#(target)", "size": "1M", "duration": "5s"}"#
            let response = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent || response.status == .badRequest)
            #expect(try json(response)["detail"] as? String == detail)
            #expect(try json(response)["field"] as? String == "labels")
            #expect(try await ids(client, "/v1/attacks").isEmpty)
        }
    }
}
