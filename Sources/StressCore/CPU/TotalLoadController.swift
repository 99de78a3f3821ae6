/// Decides how hard the workers burn in `--total` mode, where the request is
/// a utilisation of the whole scope (host, or cgroup under a quota) rather
/// than load added on top (stress-ng issue #419).
///
/// Each sample says how busy the scope was and how much of that was our own
/// workers; the rest is "others". The workers then share what is left up to
/// the target. Others' load is smoothed so one noisy sample does not make
/// the workers jump.
public struct TotalLoadController: Sendable {
    /// Target utilisation of the scope, 0...1.
    public let target: Double
    /// Cores' worth of CPU in the scope.
    public let capacity: Double
    public let workers: Int
    /// Weight of the newest sample in the smoothed estimate of others' load.
    public let smoothing: Double
    public private(set) var othersCores: Double?

    public init(target: Double, capacity: Double, workers: Int, smoothing: Double = 0.5) {
        self.target = target
        self.capacity = capacity
        self.workers = max(1, workers)
        self.smoothing = smoothing
    }

    /// The load each worker should run at before anything was measured:
    /// assume the scope is otherwise idle.
    public var initialLoadPerWorker: Double {
        Self.clamp(target * capacity / Double(workers))
    }

    /// Feeds one measurement (in cores busy over the sample interval) and
    /// returns the new load per worker, 0...1.
    public mutating func update(scopeBusyCores: Double, workersBusyCores: Double) -> Double {
        let others = max(0, scopeBusyCores - workersBusyCores)
        let smoothed = othersCores.map { $0 + smoothing * (others - $0) } ?? others
        othersCores = smoothed
        let wanted = target * capacity - smoothed
        return Self.clamp(wanted / Double(workers))
    }

    private static func clamp(_ value: Double) -> Double {
        min(max(value, 0), 1)
    }
}
