import LinuxHost
import Synchronization

/// Why and when an attack was asked to end early. Set from a signal handler
/// or the API, read by the supervisor when its task is cancelled.
public final class StopRequest: Sendable {
    private let state = Mutex<(reason: String, at: UInt64)?>(nil)

    public init() {}

    /// Records the first request; later ones do not overwrite it.
    public func request(_ why: String) {
        let now = MonotonicClock.now()
        state.withLock { if $0 == nil { $0 = (why, now) } }
    }

    public var requestedReason: String? {
        state.withLock { $0?.reason }
    }

    /// CLOCK_MONOTONIC instant of the first request: cleanup latency is
    /// measured from here, not from when the supervisor noticed.
    public var requestedAt: UInt64? {
        state.withLock { $0?.at }
    }
}
