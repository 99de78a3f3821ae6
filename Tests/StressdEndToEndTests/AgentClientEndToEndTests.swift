import Foundation
import Glibc
import OneShotNetwork
import Testing

/// `--agent URL`: the CLI driving a real `stressd serve` on loopback, with
/// the output of a local run, and the lease that stops an attack whose
/// CLI died.
@Suite("stressd --agent, end to end", .serialized)
struct AgentClientEndToEndTests {
    /// A serving agent with a token, its URL and token file, and a folder to fill.
    struct Agent {
        let stressd: StressdBinary
        let process: Process
        let out: Pipe
        let err: Pipe
        let url: String
        let tokenFile: String
        let target: String
        let port: Int
        static let token = String(repeating: "cd34", count: 8)

        /// A new agent, or with `stressd`, one serving that one's state
        /// directory again (an agent restarted).
        init(stressd: StressdBinary? = nil) async throws {
            self.stressd = try stressd ?? StressdBinary()
            let stressd = self.stressd
            tokenFile = try stressd.writeToken(Self.token)
            target = stressd.stateDirectory + "/target"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            port = testPort()
            url = "http://127.0.0.1:\(port)"
            (process, out, err) = try stressd.start(["serve", "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile])
            for _ in 0..<100 {
                if try stressd.run(["status", "--agent", url, "--token-file", tokenFile], local: false).status == 0 { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the agent never answered")
        }

        func client(_ arguments: [String]) throws -> StressdBinary.Result {
            try stressd.run(arguments + ["--agent", url, "--token-file", tokenFile], local: false)
        }

        /// The agent's `/metrics` text.
        func metrics() async throws -> String {
            let request = OneShotHTTP.Request(
                .GET, host: "127.0.0.1", port: port, target: "/metrics",
                headers: [("Authorization", "Bearer " + Self.token)])
            return String(decoding: try await OneShotHTTP.send(request, timeout: .seconds(5)).body, as: UTF8.self)
        }

        var fills: [String] { (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? [] }

        /// Stops the agent and proves it left nothing: no record, no fill.
        func finish() {
            kill(process.processIdentifier, SIGTERM)
            let result = StressdBinary.finish(process, out, err)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(stressd.ledgerFiles.isEmpty)
            #expect(fills.isEmpty)
            stressd.remove()
        }
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func runsAnAttackOnTheAgentWithTheLocalOutput() async throws {
        let agent = try await Agent()
        defer { agent.finish() }
        let run = try agent.client(["disk", "--path", agent.target, "--size", "8M", "--duration", "1s", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try json(run.stdout) as? [String: Any])
        #expect((report["outcome"] as? [String: Any])?["status"] as? String == "completed")
        let id = try #require(report["id"] as? String)
        #expect(run.stderr.contains("\(id) on \(agent.url)"), "the start line names the agent")
        #expect(agent.fills.isEmpty)

        let status = try agent.client(["status"])
        #expect(status.status == 0 && status.stdout.contains("\(id)  finished  disk  completed"), "\(status.stdout)")
        let again = try agent.client(["report", id])
        #expect(again.status == 0 && again.stdout.contains("\(id) completed"), "\(again.stdout)")
        #expect(again.stdout.contains("kept by the agent: stressd report \(id) --agent \(agent.url)"), "\(again.stdout)")
        let kept = try agent.client(["report", "--list"])
        #expect(kept.status == 0 && kept.stdout.contains("\(id)  disk  ") && kept.stdout.contains("completed  verified"), "\(kept.stdout)")
        let host = try agent.client(["host"])
        #expect(host.status == 0 && host.stdout.hasPrefix("cpu:"))
    }

    /// An I/O load through `--agent`: the agent's workers do it, the CLI
    /// prints its report with the io section, and the folder is gone.
    @Test func runsAnIOLoadOnTheAgent() async throws {
        let agent = try await Agent()
        defer { agent.finish() }
        let run = try agent.client(["io", "--path", agent.target, "--size", "8M", "--block-size", "4K", "--iops", "200", "--duration", "2s"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("  achieved:  ") && run.stdout.contains("IOPS of 200 IOPS asked"), "\(run.stdout)")
        #expect(run.stdout.contains("verified:  nothing left behind"), "\(run.stdout)")
        #expect(agent.fills.isEmpty)
    }

    @Test func floorsTravelAsARequestToTightenTheAgentsPolicy() async throws {
        let agent = try await Agent()
        defer { agent.finish() }
        // 3% is above the agent's default disk floor (2%), and leaves room for 8 MiB on any test machine.
        let tighter = try agent.client(["disk", "--path", agent.target, "--size", "8M", "--floor", "3%", "--duration", "1s"])
        #expect(tighter.status == 0, "\(tighter.stderr)")
        let looser = try agent.client(["disk", "--path", agent.target, "--size", "8M", "--floor", "1M", "--duration", "1s"])
        #expect(looser.status == 2)
        #expect(looser.stderr.contains("may only raise it"), "\(looser.stderr)")
        #expect(agent.fills.isEmpty)
    }

    @Test func sigtermToTheCLIStopsTheRemoteAttack() async throws {
        let agent = try await Agent()
        defer { agent.finish() }
        let (cli, out, err) = try agent.stressd.start(
            ["disk", "--path", agent.target, "--size", "8M", "--duration", "30s", "--json",
             "--agent", agent.url, "--token-file", agent.tokenFile], local: false)
        let deadline = Date().addingTimeInterval(10)
        while agent.stressd.ledgerFiles.isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!agent.stressd.ledgerFiles.isEmpty, "the agent started the attack")
        try await Task.sleep(for: .milliseconds(300))
        kill(cli.processIdentifier, SIGTERM)
        let result = StressdBinary.finish(cli, out, err)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try json(result.stdout) as? [String: Any])
        #expect((report["outcome"] as? [String: Any])?["status"] as? String == "stopped")
        #expect(agent.stressd.ledgerFiles.isEmpty && agent.fills.isEmpty, "stopped and cleaned up before the CLI exited")
    }

    @Test func aKilledCLIsAttackEndsWhenItsLeaseRunsOut() async throws {
        let agent = try await Agent()
        defer { agent.finish() }
        let (cli, out, err) = try agent.stressd.start(
            ["disk", "--path", agent.target, "--size", "8M", "--duration", "60s",
             "--agent", agent.url, "--token-file", agent.tokenFile], local: false)
        var deadline = Date().addingTimeInterval(10)
        while agent.stressd.ledgerFiles.isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!agent.stressd.ledgerFiles.isEmpty)
        kill(cli.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(cli, out, err)
        let killed = Date()
        deadline = killed.addingTimeInterval(15)
        while !agent.stressd.ledgerFiles.isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(agent.stressd.ledgerFiles.isEmpty, "the lease (10 s) stopped the attack")
        #expect(Date().timeIntervalSince(killed) > 8, "not before the lease ran out")
        // The ledger record goes before the agent files the report: wait for it.
        var status = try agent.client(["status"])
        deadline = Date().addingTimeInterval(5)
        while !status.stdout.contains("lease expired"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            status = try agent.client(["status"])
        }
        #expect(status.stdout.contains("finished") && status.stdout.contains("lease expired"), "\(status.stdout)")
    }

    @Test func refusalsExit2AndStartNothing() async throws {
        let agent = try await Agent()
        defer { agent.finish() }
        let wrongToken = try agent.stressd.writeToken(String(repeating: "x", count: 20), name: "wrong-token")
        let cases: [[String]] = [
            ["disk", "--path", agent.target, "--size", "12XB", "--agent", agent.url, "--token-file", agent.tokenFile],
            ["disk", "--path", agent.target, "--size", "8M", "--max-duration", "1h", "--agent", agent.url, "--token-file", agent.tokenFile],
            ["disk", "--path", "/nonexistent/dir", "--size", "8M", "--agent", agent.url, "--token-file", agent.tokenFile],
            ["status", "--agent", agent.url, "--token-file", wrongToken],
            ["status", "--agent", "ftp://127.0.0.1"],
            ["status", "--token-file", agent.tokenFile],
            ["status", "--agent", agent.url, "--token-file", agent.tokenFile, "--config", agent.tokenFile],
            ["report", "disk-00000000", "--agent", agent.url, "--token-file", agent.tokenFile, "--state-dir", agent.target],
        ]
        for arguments in cases {
            let result = try agent.stressd.run(arguments, local: false)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        }
        #expect(try agent.client(["status"]).stdout.contains("no attacks"), "nothing was started")
        let unreachable = try agent.stressd.run(["status", "--agent", "http://127.0.0.1:9"], local: false)
        #expect(unreachable.status == 1 && unreachable.stderr.contains("Connection refused"), "\(unreachable.stderr)")
        // A selector that matches nothing is a failed attack, exit 1, as locally.
        let none = try agent.client(["kill", "--name", "sdv-none-here"])
        #expect(none.status == 1 && none.stderr.contains("--allow-none"), "\(none.stderr)")
    }

    /// `--dry-run` with `--agent` asks the agent for its plan, and
    /// `--abort-unless` travels with a start: a condition failing on the
    /// agent's side refuses it (exit 2) with nothing started.
    @Test func plansAndAbortConditionsTravelToTheAgent() async throws {
        let agent = try await Agent()
        defer { agent.finish() }
        let planned = try agent.client(["disk", "--path", agent.target, "--size", "8M", "--dry-run", "--json", "--abort-unless", "pressure memory some=99%"])
        #expect(planned.status == 0, "\(planned.stderr)")
        let plan = try #require(try json(planned.stdout) as? [String: Any])
        #expect(plan["dryRun"] as? Bool == true && (plan["footprint"] as? [String: Any])?["diskBytes"] as? Int == 8 << 20)
        #expect((plan["abortConditions"] as? [[String: Any]])?.first?["condition"] as? String == "pressure memory some=99%")
        let refused = try agent.client(["disk", "--path", agent.target, "--size", "8M", "--duration", "5s", "--abort-unless", "tcp 127.0.0.1:9"])
        #expect(refused.status == 2 && refused.stderr.contains("steady state"), "\(refused.stderr)")
        #expect(try agent.client(["status"]).stdout.contains("no attacks"), "nothing was started")
    }
}
