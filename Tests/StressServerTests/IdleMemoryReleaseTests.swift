import ServiceLifecycle
import StressServer
import Synchronization
import TestSupport
import Testing

/// The release waits for quiet: once per burst of activity, `quiet` after
/// its last event, with nothing scheduled in between bursts.
@Suite("Giving memory back once the agent is quiet")
struct IdleMemoryReleaseTests {
    @Test func releasesOnceTwoSecondsAfterTheLastActivityAndSleepsOtherwise() async throws {
        let clock = ManualClock()
        let releases = Atomic(0)
        let release = IdleMemoryRelease(quiet: .seconds(2), clock: clock.agentClock) { releases.add(1, ordering: .relaxed) }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await release.run() }
            try await Task.sleep(for: .milliseconds(50))
            #expect(clock.wakes.isEmpty, "nothing happened yet: nothing is scheduled")

            release.activity()
            await clock.waitForSleepers()
            #expect(clock.wakes == [.seconds(2)])
            clock.advance(by: .seconds(1))
            release.activity()
            try await waitUntil { clock.wakes == [.seconds(3)] }
            #expect(clock.wakes == [.seconds(3)], "more activity moves the release on")
            clock.advance(by: .milliseconds(1500))
            try await Task.sleep(for: .milliseconds(50))
            #expect(releases.load(ordering: .relaxed) == 0, "1.5 s after the last activity")
            clock.advance(by: .milliseconds(500))
            try await waitUntil { releases.load(ordering: .relaxed) == 1 }
            #expect(releases.load(ordering: .relaxed) == 1)
            try await Task.sleep(for: .milliseconds(50))
            #expect(clock.wakes.isEmpty, "released: it sleeps until the next activity")

            release.activity()
            await clock.waitForSleepers()
            clock.advance(by: .seconds(2))
            try await waitUntil { releases.load(ordering: .relaxed) == 2 }
            #expect(releases.load(ordering: .relaxed) == 2, "the next burst releases again")
            tasks.cancelAll()
        }
    }

    func waitUntil(_ condition: () -> Bool) async throws {
        let cap = ContinuousClock.now + .seconds(5)
        while !condition(), ContinuousClock.now < cap {
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
