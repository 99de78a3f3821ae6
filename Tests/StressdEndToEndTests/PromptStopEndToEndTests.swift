import Foundation
import Glibc
import LinuxHost
import Testing

/// Issue 14: a stop ends the process at once, whatever runs. A one-shot
/// `stressd mem` sometimes lived a second past SIGTERM (its report waited
/// for memory someone else had taken), and so did `stressd serve`.
@Suite("SIGTERM ends stressd promptly, end to end", .serialized)
struct PromptStopEndToEndTests {
    /// Milliseconds from SIGTERM until the process has exited (a zombie
    /// or gone), polled from /proc every millisecond.
    static func millisecondsToExit(after signal: Int32, _ process: Process) -> Double {
        let start = Date()
        kill(process.processIdentifier, signal)
        while Date().timeIntervalSince(start) < 5 {
            guard let stat = try? ProcFS().processStat(process.processIdentifier), !stat.hasExited else { break }
            usleep(1_000)
        }
        return Date().timeIntervalSince(start) * 1000
    }

    /// The slow path was a second; every try of this debug build, on a
    /// shared machine, must be far from it (`make bench` times the release
    /// build against the 50 ms target).
    static let bound = 600.0

    @Test func aOneShotMemoryHogExitsRightAfterSIGTERM() throws {
        var times: [Double] = []
        for _ in 0..<4 {
            let stressd = try StressdBinary()
            defer { stressd.remove() }
            let (process, out, err) = try stressd.start(["mem", "--size", "64M", "--duration", "20s", "--json"])
            _ = try stressd.waitForRecord(workers: 1)
            usleep(400_000)
            times.append(Self.millisecondsToExit(after: SIGTERM, process))
            let result = StressdBinary.finish(process, out, err)
            #expect(result.status == 0, "\(result.stderr)")
            expectCleanedUp(try decodeJSON(result.stdout), stressd)
        }
        print("mem one-shot, SIGTERM to exit (ms): \(times.map { String(format: "%.1f", $0) })")
        #expect(times.allSatisfy { $0 < Self.bound }, "SIGTERM to exit: \(times) ms")
    }

    @Test func anAgentWithCPUMemoryAndPauseRunningExitsRightAfterSIGTERM() async throws {
        var times: [Double] = []
        for _ in 0..<3 {
            let agent = try await AgentClientEndToEndTests.Agent()
            defer { agent.stressd.remove() }
            let victims = try Victims()
            let target = try victims.spawn()
            let name = victims.name
            let remote = ["--agent", agent.url, "--token-file", agent.tokenFile]
            let clients = [
                try agent.stressd.start(["cpu", "--load", "10%", "--duration", "20s"] + remote, local: false),
                try agent.stressd.start(["mem", "--size", "32M", "--duration", "20s"] + remote, local: false),
                try agent.stressd.start(["pause", "--name", name, "--duration", "20s"] + remote, local: false),
            ]
            let paused = { (try? ProcFS().processStat(target.processIdentifier))?.state == "T" }
            #expect(agent.stressd.seconds(until: { paused() && agent.stressd.ledgerFiles.count == 3 }, timeout: 10) != nil)
            usleep(400_000)
            times.append(Self.millisecondsToExit(after: SIGTERM, agent.process))
            let ended = StressdBinary.finish(agent.process, agent.out, agent.err)
            #expect(ended.status == 0, "\(ended.stderr)")
            #expect(agent.stressd.ledgerFiles.isEmpty)
            #expect(agent.stressd.liveWatchdogs.isEmpty)
            #expect(!paused())
            for client in clients {
                kill(client.0.processIdentifier, SIGTERM)
                _ = StressdBinary.finish(client.0, client.1, client.2)
            }
        }
        print("agent with cpu, mem and pause, SIGTERM to exit (ms): \(times.map { String(format: "%.1f", $0) })")
        #expect(times.allSatisfy { $0 < Self.bound }, "SIGTERM to exit: \(times) ms")
    }
}
