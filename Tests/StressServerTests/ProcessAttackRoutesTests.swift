import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Issue 12: what the API refuses for kill and pause before any process is
/// touched (422, naming the field), against a `sleep` this test started.
/// The patterns name that sleep's unique argument: were they ever admitted,
/// they could match no one else's process.
extension AttackRoutesTests {
    @Test("stop-type signals and backtracking patterns are 422", arguments: [
        (#""signal": "20""#, "signal"), (#""signal": "SIGTSTP""#, "signal"), (#""signal": "22""#, "signal"),
        (#""match": "(sl)eep SECONDS\\1""#, "match"), (#""match": "(?=sleep SECONDS)""#, "match"),
        (#""match": """#, "match"), (#""name": """#, "name"), (#""unit": """#, "unit"), (#""cgroup": """#, "cgroup"),
    ])
    func refusedProcessAttacks(extra: String, field: String) async throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        let seconds = "29.\(UInt32.random(in: 100_000...999_999))"
        sleeper.arguments = [seconds]
        try sleeper.run()
        defer {
            kill(sleeper.processIdentifier, SIGKILL)
            sleeper.waitUntilExit()
        }
        let selector = field == "signal" ? #""pid": "\#(sleeper.processIdentifier)", "# : ""
        try await withAPI { client, _ in
            let pattern = extra.replacingOccurrences(of: "SECONDS", with: seconds.replacingOccurrences(of: ".", with: "\\\\."))
            let body = #"{"kind": "kill", \#(selector)\#(pattern), "duration": "1s"}"#
            let response = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent, "\(String(buffer: response.body))")
            #expect(try json(response)["field"] as? String == field)
            let list = try await client.execute(uri: "/v1/attacks", method: .get, headers: auth)
            #expect(try TestAPI.list(list).isEmpty, "nothing started")
        }
        let stat = try String(contentsOfFile: "/proc/\(sleeper.processIdentifier)/stat", encoding: .utf8)
        #expect(stat.contains(") S "), "not stopped: \(stat)")
    }
}
