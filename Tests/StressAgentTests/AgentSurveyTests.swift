import Foundation
import Glibc
import StressAgent
import StressCore
import TestSupport
import Testing

/// Issue 12, finding 6: a process attack's survey never holds up the agent.
extension AgentTests {
    /// A `sh` whose command line ends in `sdprobe7 ` and 18 `a`s: against
    /// `sdprobe7 (a+)+b`, a backtracking engine takes about 12 s (2^n steps;
    /// the agent once spent them on its actor), and no process can match,
    /// so nothing is ever paused. It waits on a builtin `read` from a pipe
    /// this test holds: no child of its own to outlive it.
    /// The attacker is a local user who owns such a process: when
    /// the test runs as root, the probe runs as `UnprivilegedUser`.
    final class Probe {
        let process = Process()
        let input = Pipe()

        init() throws {
            let arguments = ["-c", "read line", "sdprobe7 " + String(repeating: "a", count: 18)]
            let (executable, full) = UnprivilegedUser.isAvailable ? UnprivilegedUser.wrap("/bin/sh", arguments) : ("/bin/sh", arguments)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = full
            process.standardInput = input
            try process.run()
        }

        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func aCostlyPatternHoldsUpNoRequestAndNoLease() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "leased")
        let probe = try Probe()
        try await Task.sleep(for: .milliseconds(100))
        try await withAgent(state) { agent in
            let leased = try await agent.start(try fill(directory), lease: .milliseconds(300))
            let started = ContinuousClock.now
            let pause = try AttackSpec(kind: .pause, parameters: FlatParameters(
                ["match": "sdprobe7 (a+)+b", "allow-none": "true", "duration": "1s"]))
            async let admitted = agent.start(pause)
            try await Task.sleep(for: .milliseconds(50))

            let listing = ContinuousClock.now
            _ = await agent.summaries()
            #expect(ContinuousClock.now - listing < .seconds(1), "another request answers while the survey runs")
            while try await agent.attack(leased).state == .running, ContinuousClock.now - started < .seconds(10) {
                try await Task.sleep(for: .milliseconds(20))
            }
            // Bounds with room for a test machine loaded by other suites (the
            // fill's teardown and a debug build's survey then take seconds),
            // far below the 12 s that the survey on the actor held everything.
            #expect(ContinuousClock.now - started < .seconds(3), "a 300 ms lease still ends the attack within 3 s")
            #expect(try await agent.attack(leased).report?.outcome == .stopped(reason: "lease expired"))

            let id = try await admitted
            #expect(ContinuousClock.now - started < .seconds(6), "the survey itself is bounded")
            #expect(try await agent.stop(id).processes?.hits.isEmpty == true, "the pattern matched nothing")
        }
        #expect(probe.process.isRunning)
        #expect((try? String(contentsOfFile: "/proc/\(probe.process.processIdentifier)/stat", encoding: .utf8))?.contains(") S ") == true,
                "the probe was never stopped")
    }
}
