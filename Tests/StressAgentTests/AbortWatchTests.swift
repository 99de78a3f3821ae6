import Glibc
import LinuxHost
import StressAgent
import StressCore
import Synchronization
import TestSupport
import Testing

/// Abort conditions in the engine: the check before the start, and the
/// watch while the attack runs, on the supervisor's manual clock, so "the
/// third miss in a row, at 2 s" is exact on a machine of any speed.
struct AbortWatchTests {
    static let limits = HostLimits(
        cpu: CPUCapacity(onlineCPUs: 1), memory: MemoryCapacity(hostTotalBytes: 1 << 30, hostAvailableBytes: 1 << 30))

    /// A kill of a name nothing has (allowed to match none): nothing on the host changes.
    static let spec = AttackSpec(
        .kill(KillSpec(targets: ProcessSpec(selector: .name("stressd-nosuch"), allowNone: true))),
        duration: .seconds(30))

    @Test func theThirdMissInARowAbortsTheAttackAndTheReportKeepsEveryLook() async throws {
        let state = try TemporaryDirectory()
        let closed = try LoopbackSocket()
        let port = closed.port
        var policy = SafetyPolicy.default
        policy.abortConditions = [try AbortCondition(line: "tcp 127.0.0.1:\(port) misses=3")]
        let clock = ManualClock()
        var generator = SystemRandomNumberGenerator()
        var supervisor = AttackSupervisor(
            id: AttackID(kind: .kill, using: &generator), spec: Self.spec, limits: Self.limits,
            environment: try .testing(state.path), policy: policy)
        supervisor.clock = clock.agentClock
        let running = Task { try await supervisor.run(stop: StopRequest()) { _ in } }
        for _ in 0..<2 {
            await clock.waitForSleepers(2)
            clock.advance(by: .seconds(1))
        }
        let report = try await running.value.report
        guard case .aborted(let condition, let reason) = report.outcome else {
            Issue.record("ended \(report.outcome), not aborted")
            return
        }
        #expect(condition == "tcp 127.0.0.1:\(port) misses=3")
        #expect(reason.contains("Connection refused") && reason.hasSuffix("at 2.00 s (3 misses in a row)"), "\(reason)")
        #expect(clock.now == .seconds(2))
        let timeline = try #require(report.abortConditions?.first)
        #expect(timeline.evaluations.map(\.elapsed) == [0, 1, 2] && timeline.evaluations.allSatisfy { !$0.passed })
        #expect(timeline.unit == "ms" && timeline.source == .request)
        #expect(report.cleanup.isClean && report.cleanup.ledgerRecordRemoved)
        #expect(try supervisor.environment.ledger.records().isEmpty)
    }

    @Test func aConditionFailingBeforeTheStartRefusesTheAttackAndNamesIt() async throws {
        let closed = try LoopbackSocket()
        let port = closed.port
        var policy = SafetyPolicy.default
        var operators = try AbortCondition(line: "tcp 127.0.0.1:\(port)")
        operators.source = .policy
        policy.abortConditions = [operators]
        await #expect {
            _ = try await AttackAdmission(Self.spec, policy: policy) { () throws(HostError) in Self.limits }
        } throws: { error in
            guard case .notSteady(let condition, let detail) = error as? AgentError else { return false }
            return condition == "tcp 127.0.0.1:\(port)" && detail.contains("Connection refused")
        }
        // A request cannot take the operator's condition away: it only adds.
        let own = try AbortCondition(line: "pressure memory some=99%")
        await #expect(throws: AgentError.self) {
            _ = try await AttackAdmission(Self.spec, policy: policy, stricter: StricterPolicy(abortConditions: [own])) {
                () throws(HostError) in Self.limits
            }
        }
    }
}
