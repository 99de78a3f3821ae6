import LinuxHost
import Testing

@Suite struct CPUTimesTests {
    @Test func parsesAggregateAndPerCPULines() throws {
        let times = try CPUTimes(parsing: """
            cpu  9000 10 2121 118102 379 5 96 134 7 0
            cpu0 4045 5 996 59767 22 0 55 74 0 0
            cpu1 4955 5 1125 58334 357 5 41 60 0 0
            intr 123694 0 0
            ctxt 187229
            """)
        #expect(times.all == CPUTimes.Ticks(
            user: 9000, nice: 10, system: 2121, idle: 118102, iowait: 379, irq: 5, softirq: 96, steal: 134))
        #expect(times.perCPU.keys.sorted() == [0, 1])
        #expect(times.perCPU[1]?.iowait == 357)
        #expect(times.onlineCount == 2)
        #expect(times.all.idleTicks == 118102 + 379, "iowait counts as idle")
        #expect(times.all.busyTicks == 9000 + 10 + 2121 + 5 + 96 + 134, "guest (7) is already in user")
    }

    @Test func olderKernelsWithFewerColumnsCountMissingOnesAsZero() throws {
        let times = try CPUTimes(parsing: "cpu 1 2 3 4\ncpu0 1 2 3 4\n")
        #expect(times.all.iowait == 0)
        #expect(times.all.steal == 0)
        #expect(times.all.totalTicks == 10)
    }

    @Test func offlineCPUsLeaveGapsInTheNumbers() throws {
        let times = try CPUTimes(parsing: "cpu 2 0 0 2 0 0 0 0\ncpu0 1 0 0 1 0 0 0 0\ncpu3 1 0 0 1 0 0 0 0\n")
        #expect(times.perCPU.keys.sorted() == [0, 3])
        #expect(times.onlineCount == 2)
    }

    @Test(arguments: [
        "",
        "intr 1 2 3\n",
        "cpu 1 2 3\n",
        "cpu 1 2 x 4 5 6 7 8\n",
        "cpu 1 2 3 4\ncpuX 1 2 3 4\n",
    ])
    func rejectsBrokenText(text: String) {
        #expect(throws: HostError.self) { try CPUTimes(parsing: text) }
    }

    @Test(arguments: [
        // (busy, idle) before → after, expected fraction
        ((100, 900), (150, 950), 0.5 as Double?),
        ((100, 900), (100, 1000), 0.0),
        ((100, 900), (200, 900), 1.0),
        ((100, 900), (100, 900), nil),
    ])
    func busyFractionBetweenTwoSamples(before: (UInt64, UInt64), after: (UInt64, UInt64), expected: Double?) {
        let earlier = CPUTimes.Ticks(user: before.0, idle: before.1)
        let later = CPUTimes.Ticks(user: after.0, idle: after.1)
        #expect(later.busyFraction(since: earlier) == expected)
    }

    @Test func iowaitSteppingBackwardsNeverLeavesZeroToOne() {
        let earlier = CPUTimes.Ticks(user: 100, idle: 900, iowait: 50)
        let later = CPUTimes.Ticks(user: 110, idle: 900, iowait: 40)
        #expect(later.busyFraction(since: earlier) == 1.0)
    }

    @Test func busyCoresScalesByOnlineCPUs() throws {
        let earlier = try CPUTimes(parsing: "cpu 100 0 0 100 0 0 0 0\ncpu0 50 0 0 50\ncpu1 50 0 0 50\n")
        let later = try CPUTimes(parsing: "cpu 250 0 0 150 0 0 0 0\ncpu0 150 0 0 50\ncpu1 100 0 0 100\n")
        // 150 busy of 200 ticks on 2 CPUs: one and a half cores.
        #expect(later.busyCores(since: earlier) == 1.5)
        #expect(earlier.busyCores(since: earlier) == nil)
    }

    @Test(arguments: [(Fixture.hybridHost, 2), (.v2Container, 4), (.v1Host, 2)])
    func readsFixtures(fixture: Fixture, cpus: Int) throws {
        let times = try fixture.proc.cpuTimes()
        #expect(times.onlineCount == cpus)
        let sum = times.perCPU.values.reduce(0) { $0 + $1.user }
        #expect(sum <= times.all.user + UInt64(cpus), "per-CPU user ticks add up to the total")
        #expect(sum + UInt64(10 * cpus) >= times.all.user)
    }
}
