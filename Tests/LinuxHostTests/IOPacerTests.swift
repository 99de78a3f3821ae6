@testable import LinuxHost
import Testing

/// The pacer's schedule with time stepped by hand: no sleeping.
@Suite struct IOPacerTests {
    @Test func operationsAreDueAtStartPlusNIntervalsWithoutDrift() {
        let start: UInt64 = 5_000_000_000
        var pacer = IOPacer(interval: 1e9 / 3, start: start)  // 3 per second: 333,333,333.33… ns
        var now = start
        for n in 0..<3_000 {
            let due = pacer.nextDue(now: now)
            let exact = start + UInt64(n) * 1_000_000_000 / 3
            #expect(max(due, exact) - min(due, exact) <= 1, "operation \(n) within a nanosecond of its time")
            now = max(now, due) + 1_000  // each operation takes 1 µs
            pacer.issue()
        }
        let last = pacer.nextDue(now: now)
        #expect(max(last, start + 1_000_000_000_000) - min(last, start + 1_000_000_000_000) <= 1, "1000 s later to the nanosecond")
    }

    @Test func aLateOperationIsMadeUpByTheNextOnes() {
        var pacer = IOPacer(interval: 1_000_000, start: 0)  // 1 ms
        #expect(pacer.nextDue(now: 0) == 0)
        pacer.issue()
        // The first operation took 5 ms: the four that fell due run at once.
        let now: UInt64 = 5_000_000
        var immediate = 0
        while pacer.nextDue(now: now) <= now {
            immediate += 1
            pacer.issue()
        }
        #expect(immediate == 5)
        #expect(pacer.nextDue(now: now) == 6_000_000)
    }

    @Test func aStallBurstsAtMostMaxLagWorth() {
        var pacer = IOPacer(interval: 1_000_000, start: 0)  // 1 ms, lag bound 10 ms
        #expect(pacer.maxLag == 10_000_000)
        let now: UInt64 = 2_000_000_000  // stalled 2 s before the first operation
        var immediate = 0
        while pacer.nextDue(now: now) <= now {
            immediate += 1
            pacer.issue()
        }
        #expect(immediate == 11, "10 ms of operations and the one due now, not 2000")
        #expect(pacer.nextDue(now: now) == now + 1_000_000)
    }

    @Test func aSlowPaceMayLagOneInterval() {
        let pacer = IOPacer(interval: 2e9, start: 0)
        #expect(pacer.maxLag == 2_000_000_000)
    }

    @Test func anEndlessScheduleDoesNotTrap() {
        var pacer = IOPacer(interval: 1e18, start: 0)
        pacer.issue()
        pacer.issue()
        pacer.issue()
        pacer.issue()
        pacer.issue()
        #expect(pacer.nextDue(now: 0) == UInt64.max)
    }
}
