import StressCore
import Testing

@Suite("Duty cycle: the closed loop behind CPU load")
struct DutyCycleTests {
    /// Simulates a worker for `periods` periods; `available(k)` is the CPU the
    /// scheduler lets it have in period k. Returns CPU used per period.
    func simulate(_ cycle: inout DutyCycle, periods: Int, available: (Int) -> Duration = { _ in .seconds(1) }) -> [Duration] {
        var used = Duration.zero
        var perPeriod: [Duration] = []
        for k in 0..<periods {
            let budget = cycle.busyBudget(elapsed: cycle.period * k, cpuUsed: used)
            let got = min(budget, available(k))
            used += got
            perPeriod.append(got)
        }
        return perPeriod
    }

    func load(_ slice: ArraySlice<Duration>, period: Duration) -> Double {
        slice.reduce(.zero, +) / (period * slice.count)
    }

    @Test("an unhindered worker hits its target exactly", arguments: [0.01, 0.1, 0.2, 0.5, 0.8, 1.0])
    func exactWhenUnhindered(target: Double) {
        var cycle = DutyCycle(target: target)
        let used = simulate(&cycle, periods: 80)
        #expect(abs(load(used[...], period: cycle.period) - target) < 1e-9)
    }

    @Test func budgetsStayWithinOnePeriod() {
        var cycle = DutyCycle(target: 0.7)
        for (elapsed, used) in [(0, 0), (10, 0), (10, 10), (5, 0)] {
            let budget = cycle.busyBudget(elapsed: .seconds(elapsed), cpuUsed: .seconds(used))
            #expect(budget >= .zero && budget <= cycle.period)
        }
    }

    @Test func timeLostToPreemptionIsPaidBack() {
        var cycle = DutyCycle(target: 0.5)
        // Period 3 is cut to 10 ms by another process.
        let used = simulate(&cycle, periods: 40) { $0 == 3 ? .milliseconds(10) : .seconds(1) }
        #expect(used[4] > .milliseconds(50), "the next period makes up the shortfall")
        #expect(abs(load(used[...], period: cycle.period) - 0.5) < 1e-9)
    }

    @Test func aLongStarvationIsForgivenNotRepaidAtFullBurn() {
        var cycle = DutyCycle(target: 0.3)
        // Starved completely for 5 s (50 periods), then free.
        let used = simulate(&cycle, periods: 150) { $0 < 50 ? .zero : .seconds(1) }
        let fullPeriods = used[50...].filter { $0 == cycle.period }.count
        #expect(fullPeriods <= 3, "catch-up is bounded by maximumDebt")
        #expect(abs(load(used[60...], period: cycle.period) - 0.3) < 0.01)
    }

    @Test func retargetingTakesEffectWithoutRepayingThePast() {
        var cycle = DutyCycle(target: 0.8)
        var used = Duration.zero
        for k in 0..<20 {
            used += cycle.busyBudget(elapsed: cycle.period * k, cpuUsed: used)
        }
        cycle.retarget(0.2, elapsed: cycle.period * 20, cpuUsed: used)
        var after: [Duration] = []
        for k in 20..<60 {
            let budget = cycle.busyBudget(elapsed: cycle.period * k, cpuUsed: used)
            used += budget
            after.append(budget)
        }
        #expect(abs(load(after[...], period: cycle.period) - 0.2) < 1e-9)
    }

    @Test func targetsAreClampedToAWholeCore() {
        #expect(DutyCycle(target: 1.7).target == 1)
        #expect(DutyCycle(target: -1).target == 0)
        #expect(DutyCycle(target: .nan).target == 0)
    }
}

@Suite("--total: topping the scope up to a target")
struct TotalLoadControllerTests {
    @Test func anIdleHostGetsTheWholeTarget() {
        var controller = TotalLoadController(target: 0.6, capacity: 2, workers: 2)
        #expect(abs(controller.initialLoadPerWorker - 0.6) < 1e-12)
        #expect(abs(controller.update(scopeBusyCores: 1.2, workersBusyCores: 1.2) - 0.6) < 1e-12)
    }

    @Test func otherLoadIsSubtracted() {
        var controller = TotalLoadController(target: 0.6, capacity: 2, workers: 2, smoothing: 1)
        // Others use 0.8 cores: the workers share 1.2 - 0.8 = 0.4 cores.
        #expect(abs(controller.update(scopeBusyCores: 2.0, workersBusyCores: 1.2) - 0.2) < 1e-12)
    }

    @Test func busierThanTheTargetMeansTheWorkersRest() {
        var controller = TotalLoadController(target: 0.3, capacity: 2, workers: 2, smoothing: 1)
        #expect(controller.update(scopeBusyCores: 1.9, workersBusyCores: 0.1) == 0)
    }

    @Test func othersLoadIsSmoothed() {
        var controller = TotalLoadController(target: 0.5, capacity: 2, workers: 1, smoothing: 0.5)
        _ = controller.update(scopeBusyCores: 1.0, workersBusyCores: 1.0)  // others 0
        _ = controller.update(scopeBusyCores: 1.8, workersBusyCores: 0.8)  // others 1.0, smoothed 0.5
        #expect(controller.othersCores == 0.5)
    }
}
