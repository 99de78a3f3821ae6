import LinuxHost

/// Where the agent reads time for leases and the supervisor for deadlines,
/// guard and sample ticks: the monotonic clock, or in tests one that moves
/// only when told, so a test advances time instead of sleeping through it
/// and asserting on how long that took.
public struct AgentClock: Sendable {
    /// Time since a fixed point (boot, for the monotonic clock).
    public let now: @Sendable () -> Duration
    /// Returns after `duration` of this clock's time, or at once when the
    /// calling task is cancelled.
    public let sleep: @Sendable (Duration) async -> Void

    public init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// CLOCK_MONOTONIC, as every deadline in stressd.
    public static let monotonic = AgentClock(
        now: { .nanoseconds(MonotonicClock.now()) },
        sleep: { try? await Task.sleep(for: $0, tolerance: .microseconds(200)) })
}
