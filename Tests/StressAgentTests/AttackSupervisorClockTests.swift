import LinuxHost
import StressAgent
import StressCore
import Synchronization
import SystemPackage
import TestSupport
import Testing

/// The supervisor's deadline, sample and timeline ticks run on its injected
/// clock: these move a manual clock instead of sleeping, so they say "at
/// 30 s, not before" exactly, on a machine of any speed.
struct AttackSupervisorClockTests {
    /// A kill of a name nothing has: no worker, no watchdog, nothing on the
    /// host changes, and the supervisor still runs its whole time line.
    func supervisor(_ state: TemporaryDirectory, clock: ManualClock, duration: Duration) throws -> AttackSupervisor {
        let spec = AttackSpec(
            .kill(KillSpec(targets: ProcessSpec(selector: .name("stressd-test-no-such-process"), allowNone: true))),
            duration: duration)
        let limits = HostLimits(cpu: CPUCapacity(onlineCPUs: 1), memory: MemoryCapacity(hostTotalBytes: 1 << 30, hostAvailableBytes: 1 << 30))
        var generator = SystemRandomNumberGenerator()
        var supervisor = AttackSupervisor(
            id: AttackID(kind: .kill, using: &generator), spec: spec, limits: limits, environment: try .testing(state.path))
        supervisor.clock = clock.agentClock
        return supervisor
    }

    @Test func theDeadlineAndTheTimelineFollowTheClock() async throws {
        let state = try TemporaryDirectory()
        let clock = ManualClock()
        let supervisor = try supervisor(state, clock: clock, duration: .seconds(30))
        let finished = Mutex(false)
        let running = Task {
            defer { finished.withLock { $0 = true } }
            return try await supervisor.run(stop: StopRequest()) { _ in }
        }
        for _ in 1..<120 {
            await clock.waitForSleepers()
            clock.advance(by: .milliseconds(250))
        }
        await clock.waitForSleepers()
        #expect(!finished.withLock { $0 }, "ended before its deadline on the supervisor's clock")
        clock.advance(by: .milliseconds(250))
        let report = try await running.value.report

        #expect(report.outcome == .completed)
        // One sample at the start, one every 250 ms of the clock up to the
        // deadline (which ends the attack before its own tick), one after cleanup.
        #expect(report.timeline.map(\.elapsed) == (0..<120).map { Double($0) / 4 } + [30])
        #expect(report.stoppedAfterSeconds == 30)
        #expect(report.cleanup.ledgerRecordRemoved)
        #expect(try supervisor.environment.ledger.records().isEmpty)
    }

    /// A stop ends the attack without the clock moving at all.
    @Test func aStopNeedsNoTimeToPass() async throws {
        let state = try TemporaryDirectory()
        let clock = ManualClock()
        let supervisor = try supervisor(state, clock: clock, duration: .seconds(30))
        let stop = StopRequest()
        let running = Task { try await supervisor.run(stop: stop) { _ in } }
        await clock.waitForSleepers()
        stop.request("test over")
        let report = try await running.value.report
        #expect(report.outcome == .stopped(reason: "test over"))
        #expect(clock.now == .zero)
        #expect(report.timeline.map(\.elapsed) == [0, 0])
        #expect(report.stoppedAfterSeconds == 0)
        #expect(try supervisor.environment.ledger.records().isEmpty)
    }
}
