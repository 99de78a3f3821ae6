import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import LinuxHost
import StressAgent
import StressClient
import StressCore
import StressServer
import TestSupport
import Testing

/// The client against the real API on a loopback port: the same types go
/// out and come back, and the agent's refusals arrive as `ClientError`s.
@Suite("Agent client over loopback", .serialized)
struct AgentClientTests {
    /// The API on a loopback port over a running agent, and a client's
    /// endpoint for it carrying `token`.
    func withAgent(token: String? = TestAPI.token, _ body: @Sendable (AgentEndpoint, String) async throws -> Void) async throws {
        try await TestAPI.with { api in
            let target = api.target
            try await api.live { port in try await body(try AgentEndpoint(url: "http://127.0.0.1:\(port)", token: token), target) }
        }
    }

    @Test func startWatchRenewStopAndReadTheReport() async throws {
        try await withAgent { endpoint, target in
            let client = try AgentClient(endpoint: endpoint)
            let started = try await client.start(
                FlatParameters(["kind": "disk", "path": target, "size": "4M", "duration": "30s"]), lease: .seconds(5))
            #expect(started.state == .running)
            #expect(started.spec?.kind == .disk)
            #expect(try await client.attacks().map(\.id).contains(started.id))
            let renewed = try await client.renewLease(started.id)
            #expect((renewed.leaseSecondsLeft ?? 0) > 4)
            let report = try await client.stop(started.id)
            #expect(report.id == started.id && report.outcome == .stopped(reason: "stopped through the API"))
            #expect(try await client.attack(started.id).state == .finished)
            #expect(try await client.report(started.id).id == started.id)
            #expect(try await client.host().memory.totalBytes > 0)
        }
    }

    @Test func haltAllReturnsEveryReport() async throws {
        try await withAgent { endpoint, target in
            let client = try AgentClient(endpoint: endpoint)
            // One fill per file system: a fill and a pause of a process this test started.
            let sleeper = Process()
            sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
            sleeper.arguments = ["30"]
            try sleeper.run()
            defer { kill(sleeper.processIdentifier, SIGKILL); sleeper.waitUntilExit() }
            _ = try await client.start(FlatParameters(["kind": "disk", "path": target, "size": "2M", "duration": "30s"]))
            _ = try await client.start(FlatParameters(["kind": "pause", "pid": String(sleeper.processIdentifier), "duration": "30s"]))
            let halted = try await client.haltAll()
            #expect(halted.count == 2)
            #expect(halted.allSatisfy { $0.outcome == .stopped(reason: "halted through the API") })
            #expect((try? ProcFS().processStat(sleeper.processIdentifier))?.state != "T", "the halt resumed the paused process")
        }
    }

    @Test func refusalsCarryTheAgentsDetail() async throws {
        try await withAgent { endpoint, target in
            let client = try AgentClient(endpoint: endpoint)
            do {
                _ = try await client.start(FlatParameters(["kind": "disk", "path": target, "size": "12XB", "duration": "5s"]))
                Issue.record("a malformed size was accepted")
            } catch let error as ClientError {
                guard case .problem(422, _, let detail, let field) = error else { throw error }
                #expect(field == "size" && detail.contains("12XB"))
                #expect(error.isRefusal)
            }
            do {
                _ = try await client.report(AttackID(validating: "disk-00000000"))
                Issue.record("an unknown report was found")
            } catch let error as ClientError {
                guard case .problem(404, _, _, _) = error else { throw error }
            }
        }
    }

    @Test func aWrongTokenIsSaidSo() async throws {
        try await withAgent(token: "not-the-token-at-all") { endpoint, _ in
            do {
                _ = try await AgentClient(endpoint: endpoint).attacks()
                Issue.record("a wrong token was accepted")
            } catch let error as ClientError {
                guard case .problem(401, _, _, _) = error else { throw error }
                #expect(error.description.contains("--token-file"))
            }
        }
    }

    @Test func nobodyListeningIsUnreachableNotAHang() async throws {
        // Port 9 (discard) on loopback: nothing listens there in tests.
        var client = try AgentClient(endpoint: try AgentEndpoint(url: "http://127.0.0.1:9"))
        client.timeout = .seconds(3)
        let start = ContinuousClock.now
        do {
            _ = try await client.attacks()
            Issue.record("a request to a closed port succeeded")
        } catch {
            guard case .unreachable(let endpoint, _) = error else { throw error }
            #expect(endpoint == "http://127.0.0.1:9")
            #expect(!error.isRefusal)
        }
        #expect(ContinuousClock.now - start < .seconds(3))
    }
}
