import Dispatch
import Synchronization

/// A thread that lives as long as the process and does all the forking.
///
/// `PR_SET_PDEATHSIG` fires when the *thread* that forked a child exits, not
/// the process. Swift concurrency may run a task on any pool thread, and a
/// pool thread may end; a worker forked from it would then be killed early.
/// Forking only from this thread ties every worker to the supervisor's life.
final class SpawnThread: Sendable {
    static let shared = SpawnThread()

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    private init() {
        DetachedThread.start(name: "stressd-spawn") { [self] in serve() }
    }

    private func serve() -> Never {
        while true {
            available.wait()
            let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            job?()
        }
    }

    /// Runs `body` on the spawn thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(returning: body()) } }
            available.signal()
        }
    }
}
