import CLinux
import Glibc

/// A named OS thread that runs `body` and is never joined.
///
/// For the few loops that must block a whole thread (forking workers, a
/// worker reading its control pipe) outside Swift concurrency's pool. A plain
/// pthread: Foundation's `Thread` would link all of swift-corelibs-foundation
/// (and ICU) into the binary for one class.
public enum DetachedThread {
    private final class Job {
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts the thread. A process that cannot start one more thread is out
    /// of resources and cannot supervise anything, so that stops it.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            _ = stressd_set_thread_name(job.name)
            job.body()
            return nil
        }, Unmanaged.passRetained(Job(name: name, body: body)).toOpaque())
        precondition(started == 0, "cannot start thread \(name): \(String(cString: strerror(started)))")
        pthread_detach(thread)
    }
}
