import ServiceLifecycle
import StressAgent

/// Gives memory back once the agent has been quiet for a while: `release`
/// runs once, `quiet` after the last `activity()` (an API response, the
/// last attack ending, start-up). Every first request or attack maps code
/// the agent then does not run again until the next one (`CodePages`); an
/// agent that waits between experiments should not hold it.
///
/// One wake per burst of activity, never a periodic one: with nothing to
/// do, the service sleeps until `activity()` rings.
public final class IdleMemoryRelease: Service, Sendable {
    public static let defaultQuiet: Duration = .seconds(2)

    private let quiet: Duration
    private let clock: AgentClock
    private let release: @Sendable () -> Void
    private let doorbell = Doorbell()

    public init(quiet: Duration = defaultQuiet, clock: AgentClock = .monotonic, release: @escaping @Sendable () -> Void) {
        self.quiet = quiet
        self.clock = clock
        self.release = release
    }

    /// Something just ran: release `quiet` from now, unless more follows.
    public func activity() {
        doorbell.ring()
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.doorbell.wait(until: nil, on: self.clock)
                var due = self.clock.now() + self.quiet
                while !Task.isCancelled {
                    await self.doorbell.wait(until: due, on: self.clock)
                    let now = self.clock.now()
                    if now >= due { break }
                    due = now + self.quiet
                }
                if !Task.isCancelled { self.release() }
            }
        }
    }
}
