import LinuxHost
import StressCore
import Synchronization

/// Why and when an attack was asked to end early: from a signal handler,
/// `stressd stop`, the API, a lease, or an abort condition that failed
/// (which ends it with its own outcome). The supervisor's waits end the
/// moment a stop is requested, so one request stops one attack at once
/// without cancelling anything else.
public final class StopRequest: Sendable {
    private struct State {
        var request: (outcome: AttackOutcome, at: UInt64)?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Records the first request and wakes every waiter; later requests do
    /// not overwrite the reason.
    public func request(_ why: String) {
        end(.stopped(reason: why))
    }

    /// The same, ending the attack with `outcome` (an abort condition's
    /// breach) rather than as stopped on request.
    public func end(_ outcome: AttackOutcome) {
        let now = MonotonicClock.now()
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.request == nil else { return [] }
            state.request = (outcome, now)
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    public var requestedReason: String? {
        state.withLock { $0.request?.outcome.reason }
    }

    /// How the attack is to end, once a stop is requested.
    public var requestedOutcome: AttackOutcome? {
        state.withLock { $0.request?.outcome }
    }

    /// CLOCK_MONOTONIC instant of the first request: cleanup latency is
    /// measured from here, not from when the supervisor noticed.
    public var requestedAt: UInt64? {
        state.withLock { $0.request?.at }
    }

    /// Sleeps for `duration` of `clock`'s time, or less if a stop is
    /// requested (or the task is cancelled) meanwhile.
    public func sleep(for duration: Duration, on clock: AgentClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await clock.sleep(duration) }
            group.addTask { await self.waitForRequest() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns once a stop is requested or the task is cancelled.
    func waitForRequest() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.request != nil || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
