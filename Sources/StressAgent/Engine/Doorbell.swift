import Synchronization

/// Wakes one sleeping loop early: the agent's lease loop sleeps until the
/// next lease is due and is rung when a lease starts or is renewed, so an
/// idle agent has nothing to wake for. A ring while nobody waits is kept
/// for the next wait, so none is lost between a loop's check and its sleep.
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    public func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when rung (or at once if rung since the last wait), at
    /// `deadline` on `clock`'s time line if there is one, or when the task
    /// is cancelled. Only one task waits at a time.
    public func wait(until deadline: Duration?, on clock: AgentClock) async {
        await withTaskGroup(of: Void.self) { group in
            if let deadline {
                group.addTask { await clock.sleep(until: deadline) }
            }
            group.addTask { await self.waitForRing() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
