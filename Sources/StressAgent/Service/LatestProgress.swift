import Synchronization

/// The last progress a running attack reported, readable from anywhere
/// (the supervisor writes it from its own task; the API reads it).
final class LatestProgress: Sendable {
    private let value = Mutex<AttackProgress?>(nil)

    func set(_ progress: AttackProgress) {
        value.withLock { $0 = progress }
    }

    var current: AttackProgress? {
        value.withLock { $0 }
    }
}
