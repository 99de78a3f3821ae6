import StressAgent
import Synchronization

/// A clock that moves only when the test says so (`advance(by:)`), for the
/// agent's leases: a test states "400 ms later" instead of sleeping 400 ms
/// and hoping the machine kept up.
public final class ManualClock: Sendable {
    private struct Sleeper {
        let id: Int
        let wake: Duration
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Duration = .zero
        var nextID = 0
        var sleepers: [Sleeper] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Duration { state.withLock { $0.now } }

    /// The agent's view of this clock.
    public var agentClock: AgentClock {
        AgentClock(now: { self.now }, sleepUntil: { await self.sleep(until: $0) })
    }

    /// Moves time on and wakes every sleeper now due.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += duration
            let due = state.sleepers.filter { $0.wake <= state.now }
            state.sleepers.removeAll { $0.wake <= state.now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// When each task sleeping on this clock wakes, soonest first.
    public var wakes: [Duration] {
        state.withLock { $0.sleepers.map(\.wake).sorted() }
    }

    /// Waits (in real time, briefly) until `count` tasks sleep on this
    /// clock: the point where they have acted on the time they woke to.
    public func waitForSleepers(_ count: Int = 1) async {
        while state.withLock({ $0.sleepers.count }) < count {
            await Task.yield()
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    private func sleep(until wake: Duration) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    guard wake > state.now, !Task.isCancelled else { return true }
                    state.sleepers.append(Sleeper(id: id, wake: wake, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume()
        }
    }
}
