import Foundation
@testable import StressAgent
import StressCore
import Testing

/// The lines for endings an agent test cannot provoke safely: a guard trip
/// and a cleanup that left something behind.
@Suite("Agent log lines")
struct AgentLogTests {
    func report(_ outcome: AttackOutcome, leftovers: [String] = []) throws -> AttackReport {
        let start = Date(timeIntervalSince1970: 1000)
        return AttackReport(
            id: try AttackID(validating: "cpu-0000beef"),
            spec: AttackSpec(.cpu(CPUSpec(load: Percentage(fraction: 0.5), cores: .count(1))), duration: .seconds(30)),
            startedAt: start, endedAt: start.addingTimeInterval(12.5), outcome: outcome, timeline: [],
            cleanup: CleanupVerification(
                reapMilliseconds: 3.4, workersReaped: 1, cgroupsRemoved: [], ledgerRecordRemoved: leftovers.isEmpty,
                leftovers: leftovers))
    }

    @Test func aGuardTripHasALineOfItsOwnBeforeTheEnd() throws {
        let log = CapturedLog()
        AgentLog(logger: log.logger).ended(try report(.guardTripped(guard: "memory", reason: "MemAvailable below 5%")))

        #expect(log.all.map(\.message) == ["guard tripped", "attack ended"])
        let tripped = log.all[0]
        #expect(tripped.level == .warning)
        #expect(tripped.metadata == [
            "attack-id": "cpu-0000beef", "attack-kind": "cpu", "guard": "memory", "reason": "MemAvailable below 5%",
        ])
        let ended = log.all[1]
        #expect(ended.level == .warning, "a guard trip is not a success")
        #expect(ended.metadata["outcome"] == "guard-tripped")
        #expect(ended.metadata["guard"] == "memory")
        #expect(ended.metadata["ran-for"] == "12.5s")
        #expect(ended.metadata["cleanup"] == "verified")
        #expect(ended.metadata["cleanup-ms"] == "3")
    }

    @Test func leftoversMakeTheEndAnError() throws {
        let log = CapturedLog()
        AgentLog(logger: log.logger).ended(try report(.completed, leftovers: ["cgroup /sys/fs/cgroup/x still exists", "worker 42 still running"]))

        let ended = try #require(log.entries("attack ended").first)
        #expect(ended.level == .error)
        #expect(ended.metadata["outcome"] == "completed")
        #expect(ended.metadata["reason"] == nil)
        #expect(ended.metadata["cleanup"] == "leftovers")
        #expect(ended.metadata["leftovers"] == "cgroup /sys/fs/cgroup/x still exists, worker 42 still running")
    }

    @Test func aReplayThatCouldNotUndoEverythingIsAnError() throws {
        let log = CapturedLog()
        var result = UndoResult(id: try AttackID(validating: "disk-0badf00d"), layer: .replay)
        result.removedFiles = ["/var/tmp/.stressd-fill-disk-0badf00d"]
        result.errors = ["cannot remove cgroup /sys/fs/cgroup/stressd/disk-0badf00d: busy"]
        AgentLog(logger: log.logger).replayed([result])

        let line = try #require(log.all.first)
        #expect(line.level == .error)
        #expect(line.metadata["attack-kind"] == "disk")
        #expect(line.metadata["removed-fill-folders"] == "/var/tmp/.stressd-fill-disk-0badf00d")
        #expect(line.metadata["errors"] == "cannot remove cgroup /sys/fs/cgroup/stressd/disk-0badf00d: busy")
        #expect(line.metadata["killed-workers"] == nil, "only what happened is named")
    }
}
