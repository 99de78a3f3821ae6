import FoundationEssentials
import LinuxHost
import StressCore
import Synchronization

/// The body of `stressd worker cpu`: burns one core at a target load until
/// its deadline, following the supervisor's instructions on standard input.
///
/// - Important: runs in its own process and blocks its main thread; it ends
///   the process (never returns normally) when the supervisor goes away.
public struct CPUWorker {
    public let initialLoad: Double
    /// CLOCK_MONOTONIC nanoseconds: the worker stops here on its own, even
    /// if no supervisor ever tells it to.
    public let deadline: UInt64
    public let parent: Int32

    public init(initialLoad: Double, deadline: UInt64, parent: Int32) {
        self.initialLoad = initialLoad
        self.deadline = deadline
        self.parent = parent
    }

    /// Runs the worker. Returns the exit status: 0 at the deadline; the
    /// process exits at once when the supervisor closes the control pipe.
    public func run() -> Int32 {
        let loadBits = Atomic<UInt64>(initialLoad.bitPattern)
        do {
            try WorkerTether.begin(parent: parent, deadline: deadline) { line in
                if line.hasPrefix("load "), let value = Double(line.dropFirst(5)) {
                    loadBits.store(value.bitPattern, ordering: .relaxed)
                }
            }
        } catch {
            return error.exitStatus
        }
        burn(loadBits: loadBits)
        return 0
    }

    /// The duty-cycle loop: spin for the period's budget, sleep the rest.
    private func burn(loadBits: borrowing Atomic<UInt64>) {
        var cycle = DutyCycle(target: initialLoad)
        let period = UInt64(cycle.period.seconds * 1e9)
        let start = MonotonicClock.now()
        let cpuStart = MonotonicClock.processCPUTime()
        var periodStart = start
        while periodStart < deadline {
            let cpuUsed = Duration.nanoseconds(Int64(MonotonicClock.processCPUTime() - cpuStart))
            let elapsed = Duration.nanoseconds(Int64(periodStart - start))
            let requested = Double(bitPattern: loadBits.load(ordering: .relaxed))
            if requested != cycle.target {
                cycle.retarget(requested, elapsed: elapsed, cpuUsed: cpuUsed)
            }
            let budget = UInt64(cycle.busyBudget(elapsed: elapsed, cpuUsed: cpuUsed).seconds * 1e9)
            let periodEnd = min(periodStart + period, deadline)
            let spinUntil = MonotonicClock.processCPUTime() + budget
            while MonotonicClock.processCPUTime() < spinUntil && MonotonicClock.now() < periodEnd {}
            MonotonicClock.sleep(until: periodEnd)
            // A late wake-up skips whole periods rather than bunching them.
            let now = MonotonicClock.now()
            periodStart = periodEnd + (now > periodEnd ? (now - periodEnd) / period * period : 0)
        }
    }
}
