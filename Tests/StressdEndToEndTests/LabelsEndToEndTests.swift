import Foundation
import Glibc
import Testing

/// `--label` on an attack, `status --label` and `stop --all --label`: one
/// experiment lists and stops its own attacks on an agent and never
/// another team's (issue 13).
extension AgentClientEndToEndTests {
    @Test func labelsScopeStatusAndStopOnAnAgent() async throws {
        let agent = try await Agent()
        defer { agent.finish() }
        func pause(_ label: String) throws -> (Process, Pipe, Pipe) {
            try agent.stressd.start(
                ["pause", "--name", "no-such-proc-q", "--allow-none", "--duration", "30s", "--label", label, "--json",
                 "--agent", agent.url, "--token-file", agent.tokenFile], local: false)
        }
        let ours = try pause("run=ours")
        let theirs = try pause("run=theirs")
        defer {
            for process in [ours.0, theirs.0] where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        }
        func running(_ label: String) throws -> [String] {
            let status = try agent.client(["status", "--label", label, "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            let list = try #require(try json(status.stdout) as? [[String: Any]])
            return list.filter { $0["state"] as? String == "running" }.compactMap { $0["id"] as? String }
        }
        var (ourIDs, theirIDs): ([String], [String]) = ([], [])
        for _ in 0..<100 where ourIDs.isEmpty || theirIDs.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            (ourIDs, theirIDs) = (try running("run=ours"), try running("run=theirs"))
        }
        #expect(ourIDs.count == 1)
        let human = try agent.client(["status", "--label", "run=theirs"])
        #expect(human.stdout.contains("running  pause") && human.stdout.contains("labels run=theirs"), "\(human.stdout)")
        #expect(!human.stdout.contains("run=ours"), "\(human.stdout)")
        #expect(theirIDs.count == 1)

        let stop = try agent.client(["stop", "--all", "--label", "run=ours", "--json"])
        #expect(stop.status == 0, "\(stop.stderr)")
        let stopped = try #require(try json(stop.stdout) as? [[String: Any]])
        #expect(stopped.compactMap { $0["id"] as? String } == ourIDs)
        let oursEnded = StressdBinary.finish(ours.0, ours.1, ours.2)
        #expect(oursEnded.status == 0, "\(oursEnded.stderr)\n\(oursEnded.stdout)")
        let ourReport = try #require(try json(oursEnded.stdout) as? [String: Any])
        #expect((ourReport["outcome"] as? [String: Any])?["status"] as? String == "stopped")
        #expect(try running("run=theirs") == theirIDs, "the other label's attack runs on")
        #expect(theirs.0.isRunning)

        let misuse = try agent.client(["stop", ourIDs[0], "--label", "run=ours"])
        #expect(misuse.status == 2 && misuse.stderr.contains("--label scopes --all"), "\(misuse.stderr)")
        let malformed = try agent.client(["stop", "--all", "--label", "run"])
        #expect(malformed.status == 2 && malformed.stderr.contains("invalid label 'run': expected key=value"), "\(malformed.stderr)")
        #expect(try running("run=theirs") == theirIDs, "a refused stop stopped nothing")

        #expect(try agent.client(["stop", "--all"]).status == 0)
        _ = StressdBinary.finish(theirs.0, theirs.1, theirs.2)
    }

    /// The same scoping on this host, through the ledger.
    @Test func labelsScopeStatusAndStopLocally() async throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let ours = try stressd.start(["pause", "--name", "no-such-proc-q", "--allow-none", "--duration", "30s", "--label", "run=ours"])
        let theirs = try stressd.start(["pause", "--name", "no-such-proc-q", "--allow-none", "--duration", "30s", "--label", "run=theirs"])
        defer {
            for process in [ours.0, theirs.0] where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        }
        for _ in 0..<100 where stressd.ledgerFiles.count < 2 {
            try await Task.sleep(for: .milliseconds(50))
        }
        let status = try stressd.run(["status", "--label", "run=ours", "--json"])
        let listed = try #require(try json(status.stdout) as? [[String: Any]])
        #expect(listed.count == 1, "\(status.stdout)")
        let human = try stressd.run(["status", "--label", "run=ours"])
        #expect(human.stdout.contains("labels run=ours") && !human.stdout.contains("run=theirs"), "\(human.stdout)")

        let stop = try stressd.run(["stop", "--all", "--label", "run=ours"])
        #expect(stop.status == 0, "\(stop.stderr)")
        _ = StressdBinary.finish(ours.0, ours.1, ours.2)
        #expect(theirs.0.isRunning, "the other label's attack runs on")
        #expect(stressd.ledgerFiles.count == 1)

        #expect(try stressd.run(["stop", "--all"]).status == 0)
        _ = StressdBinary.finish(theirs.0, theirs.1, theirs.2)
        #expect(stressd.ledgerFiles.isEmpty)
    }
}
