import Synchronization

/// Paces watchdog pings to the interval systemd asked for.
final class WatchdogPacer: Sendable {
    private let interval: Duration?
    private let last = Mutex(ContinuousClock.now)

    init(interval: Duration?) {
        self.interval = interval
    }

    func due() -> Bool {
        guard let interval else { return false }
        let now = ContinuousClock.now
        return last.withLock { last in
            guard now - last >= interval else { return false }
            last = now
            return true
        }
    }
}
