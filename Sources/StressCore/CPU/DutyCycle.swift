/// The closed loop that keeps a CPU worker at its target load.
///
/// Time is cut into periods of `period`. At the start of each, the worker
/// asks for its busy budget: the CPU time it still owes so that, by the end
/// of the period, its own CPU time equals `target × elapsed`. It spins for
/// that long (measured on its own CPU clock, so time it was preempted does
/// not count as work) and sleeps for the rest. Because the budget is computed
/// from what was really consumed, a short period lost to preemption is paid
/// back in the next periods, which a fixed busy/idle ratio (stress-ng's
/// open loop) never does.
///
/// The debt is capped at `maximumDebt`: after a long stretch starved by other
/// work, the worker resumes its load instead of burning at 100% to catch up.
public struct DutyCycle: Sendable {
    public let period: Duration
    public let maximumDebt: Duration
    public private(set) var target: Double

    /// Where the current accounting window began (elapsed time and CPU used);
    /// moved when the target changes or a debt is forgiven.
    private var windowStart: Duration = .zero
    private var windowStartCPU: Duration = .zero

    public init(target: Double, period: Duration = .milliseconds(100), maximumDebt: Duration = .milliseconds(200)) {
        self.target = Self.clamp(target)
        self.period = period
        self.maximumDebt = maximumDebt
    }

    /// The CPU time to burn in the period that starts at `elapsed`, given the
    /// worker has used `cpuUsed` since it began. Between zero and `period`.
    public mutating func busyBudget(elapsed: Duration, cpuUsed: Duration) -> Duration {
        let owedByEnd = (elapsed - windowStart + period) * target
        var budget = owedByEnd - (cpuUsed - windowStartCPU)
        let debt = budget - period
        if debt > maximumDebt {
            // Starved for a while: forgive what exceeds the cap.
            windowStartCPU -= debt - maximumDebt
            budget = period + maximumDebt
        } else if budget + maximumDebt < .zero {
            // Ran ahead (e.g. the target was lowered): forget the surplus.
            windowStartCPU -= budget + maximumDebt
            budget = .zero - maximumDebt
        }
        return min(max(budget, .zero), period)
    }

    /// Changes the target from now on without paying back the past: `--total`
    /// mode retargets workers as the rest of the host's load moves.
    public mutating func retarget(_ newTarget: Double, elapsed: Duration, cpuUsed: Duration) {
        target = Self.clamp(newTarget)
        windowStart = elapsed
        windowStartCPU = cpuUsed
    }

    private static func clamp(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return min(max(value, 0), 1)
    }
}
