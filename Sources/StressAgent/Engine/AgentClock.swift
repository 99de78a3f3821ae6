import LinuxHost

/// Where the agent reads time for leases and the supervisor for deadlines,
/// guard and sample ticks: the monotonic clock, or in tests one that moves
/// only when told, so a test advances time instead of sleeping through it
/// and asserting on how long that took.
public struct AgentClock: Sendable {
    /// Time since a fixed point (boot, for the monotonic clock).
    public let now: @Sendable () -> Duration
    /// Returns once `now()` has reached the deadline, or at once when the
    /// calling task is cancelled. A deadline rather than a length, so a
    /// loop that computes when to wake is not late by the time it took.
    public let sleepUntil: @Sendable (Duration) async -> Void

    public init(now: @escaping @Sendable () -> Duration, sleepUntil: @escaping @Sendable (Duration) async -> Void) {
        self.now = now
        self.sleepUntil = sleepUntil
    }

    /// Returns after `duration` of this clock's time, or at once when the
    /// calling task is cancelled.
    public func sleep(_ duration: Duration) async {
        await sleepUntil(now() + duration)
    }

    public func sleep(until deadline: Duration) async {
        await sleepUntil(deadline)
    }

    /// CLOCK_MONOTONIC, as every deadline in stressd.
    public static let monotonic = AgentClock(
        now: { .nanoseconds(MonotonicClock.now()) },
        sleepUntil: { deadline in
            let left = deadline - .nanoseconds(MonotonicClock.now())
            guard left > .zero else { return }
            try? await Task.sleep(for: left, tolerance: .microseconds(200))
        })
}
