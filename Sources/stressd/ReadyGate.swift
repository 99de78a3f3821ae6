import Synchronization

/// Calls `open` once every one of `parts` has arrived.
final class ReadyGate: Sendable {
    private let remaining: Mutex<Int>
    private let open: @Sendable () -> Void

    init(parts: Int, open: @escaping @Sendable () -> Void) {
        remaining = Mutex(parts)
        self.open = open
    }

    func arrive() {
        let isLast = remaining.withLock { remaining -> Bool in
            remaining -= 1
            return remaining == 0
        }
        if isLast { open() }
    }
}
