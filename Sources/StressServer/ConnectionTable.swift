import NIOCore
import Synchronization

/// The connections one server holds, each with the requests it has in
/// progress and when it was last active, so that at capacity a newcomer
/// can take the place of the connection idle the longest. An attacker's
/// idle connections are then what gives way, not the operator's request.
/// A connection answering a request (whose head and body have all arrived)
/// is closed to make room only once it has made no progress for
/// `stallLimit`: a client that pipelines requests and never reads the
/// answers keeps its response unwritten for good, and must not hold its
/// place (the idle timeout does not run while a response is being written).
final class ConnectionTable: Sendable {
    private struct Entry {
        var channel: any Channel
        /// Requests received in full and not yet answered.
        var answering = 0
        var lastActive = ContinuousClock.now
    }

    let capacity: Int
    /// How long a connection answering a request may go without finishing
    /// a response before it counts as stalled.
    let stallLimit: Duration
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    init(capacity: Int, stallLimit: Duration) {
        self.capacity = capacity
        self.stallLimit = stallLimit
    }

    var count: Int { entries.withLock { $0.count } }

    /// Takes `channel` in, closing the connection idle the longest if the
    /// table is full, else the one stalled the longest; false (and nothing
    /// closed) when every connection held is answering a request and
    /// making progress, and the newcomer must go.
    func admit(_ channel: any Channel) -> Bool {
        let outcome: (admitted: Bool, evicted: (any Channel)?) = entries.withLock { entries in
            var evicted: (any Channel)?
            if entries.count >= capacity {
                let now = ContinuousClock.now
                let idle = entries.filter { $0.value.answering == 0 }
                let stalled = entries.filter { now - $0.value.lastActive > stallLimit }
                let candidates = idle.isEmpty ? stalled : idle
                guard let oldest = candidates.min(by: { $0.value.lastActive < $1.value.lastActive }) else { return (false, nil) }
                entries[oldest.key] = nil
                evicted = oldest.value.channel
            }
            entries[ObjectIdentifier(channel)] = Entry(channel: channel)
            return (true, evicted)
        }
        outcome.evicted?.close(promise: nil)
        return outcome.admitted
    }

    /// Forgets `channel` once it has closed. The identity check keeps a
    /// late call for a connection already evicted from removing a newer
    /// one that happens to have the same identifier.
    func remove(_ channel: any Channel) {
        entries.withLock { entries in
            let key = ObjectIdentifier(channel)
            if entries[key]?.channel === channel { entries[key] = nil }
        }
    }

    /// A request on `channel` has arrived in full and is being answered.
    func requestReceived(on channel: any Channel) {
        update(channel) { $0.answering += 1 }
    }

    /// A response on `channel` has been written to its end.
    func responseSent(on channel: any Channel) {
        update(channel) { entry in
            entry.answering = max(0, entry.answering - 1)
            entry.lastActive = .now
        }
    }

    private func update(_ channel: any Channel, _ change: (inout Entry) -> Void) {
        entries.withLock { entries in
            let key = ObjectIdentifier(channel)
            guard var entry = entries[key], entry.channel === channel else { return }
            change(&entry)
            entries[key] = entry
        }
    }
}
