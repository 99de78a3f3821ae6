import Foundation
import Glibc
import LinuxHost
import Testing

/// The cleanup watchdog (issue 14): a SIGKILLed supervisor's fill is gone
/// and its paused process resumed within a second, with no other stressd
/// command run; a supervisor that ends normally leaves no watchdog behind.
@Suite("Cleanup watchdog, end to end", .serialized)
struct WatchdogEndToEndTests {
    @Test func aSigkilledOneShotFillIsDeletedWithinASecond() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let target = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let (process, out, err) = try stressd.start(["disk", "--path", target, "--size", "32M", "--duration", "20s"])
        let record = try stressd.waitForRecord(workers: 0)
        let watchdog = try #require(record["watchdog"] as? [String: Any])
        let fills = { (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? [] }
        #expect(stressd.seconds(until: { !fills().isEmpty }, timeout: 5) != nil)

        kill(process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(process, out, err)

        let undone = stressd.seconds(until: { fills().isEmpty && stressd.ledgerFiles.isEmpty })
        #expect(undone != nil && undone! < 1, "fill deleted after \(undone.map { "\($0)s" } ?? "more than 2s"): \(fills())")
        #expect(stressd.seconds(until: { !isLive(watchdog) }) != nil)
        #expect(stressd.liveWatchdogs.isEmpty)
    }

    @Test func aSigkilledOneShotPauseResumesItsTargetWithinASecond() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let victims = try Victims()
        let target = try victims.spawn()
        let state = { (try? ProcFS().processStat(target.processIdentifier))?.state }
        let (process, out, err) = try stressd.start(["pause", "--name", victims.name, "--duration", "20s"])
        #expect(stressd.seconds(until: { state() == "T" }, timeout: 5) != nil, "the target was never paused")
        let record = try stressd.waitForRecord(workers: 0)
        let watchdog = try #require(record["watchdog"] as? [String: Any])

        kill(process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(process, out, err)

        let resumed = stressd.seconds(until: { state() != "T" && stressd.ledgerFiles.isEmpty })
        #expect(resumed != nil && resumed! < 1, "resumed after \(resumed.map { "\($0)s" } ?? "more than 2s")")
        #expect(target.isRunning)
        #expect(stressd.seconds(until: { !isLive(watchdog) }) != nil)
    }

    /// The agent itself SIGKILLed with a fill and a pause running: both are
    /// undone by their watchdogs before anything restarts it, and the agent
    /// started next counts both in `/metrics`.
    @Test func aSigkilledAgentsAttacksAreUndoneWithinASecond() async throws {
        let agent = try await AgentClientEndToEndTests.Agent()
        let stressd = agent.stressd
        defer { stressd.remove() }
        let victims = try Victims()
        let target = try victims.spawn()
        let name = victims.name
        let fill = try agent.stressd.start(
            ["disk", "--path", agent.target, "--size", "16M", "--duration", "30s", "--agent", agent.url, "--token-file", agent.tokenFile],
            local: false)
        let pause = try agent.stressd.start(
            ["pause", "--name", name, "--duration", "30s", "--agent", agent.url, "--token-file", agent.tokenFile], local: false)
        let state = { (try? ProcFS().processStat(target.processIdentifier))?.state }
        #expect(stressd.seconds(until: { state() == "T" && !agent.fills.isEmpty && stressd.ledgerFiles.count == 2 }, timeout: 5) != nil)
        #expect(stressd.seconds(until: { stressd.liveWatchdogs.count == 2 }) != nil, "one watchdog per attack")
        // Only stdin (its pipe), stdout and stderr: a watchdog that kept the
        // agent's listening socket would hold its port through a restart.
        for watchdog in stressd.liveWatchdogs {
            let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(watchdog)/fd").sorted()
            #expect(descriptors == ["0", "1", "2"], "watchdog \(watchdog) holds \(descriptors)")
        }

        kill(agent.process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(agent.process, agent.out, agent.err)

        let undone = stressd.seconds(until: { state() != "T" && agent.fills.isEmpty && stressd.ledgerFiles.isEmpty })
        #expect(undone != nil && undone! < 1, "undone after \(undone.map { "\($0)s" } ?? "more than 2s")")
        #expect(stressd.seconds(until: { stressd.liveWatchdogs.isEmpty }) != nil)
        let reports = ((try? FileManager.default.contentsOfDirectory(atPath: stressd.stateDirectory + "/reports")) ?? [])
            .filter { !$0.hasSuffix(".summary.json") }
        #expect(reports.count == 2, "each watchdog saved a report saying it undid its attack: \(reports)")
        for client in [fill, pause] {
            kill(client.0.processIdentifier, SIGTERM)
            _ = StressdBinary.finish(client.0, client.1, client.2)
        }

        let restarted = try await AgentClientEndToEndTests.Agent(stressd: stressd)
        let metrics = try await restarted.metrics()
        #expect(metrics.contains(#"stressd_cleanups_total{layer="watchdog"} 2"#), "\(metrics)")
        #expect(!metrics.contains(#"stressd_cleanups_total{layer="replay"}"#), "the watchdogs left nothing to replay")
        restarted.finish()
    }
}
