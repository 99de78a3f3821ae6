import StressCore

/// What the agent counts for `/metrics`: attacks by kind and outcome, guard
/// trips, lease expiries, and how long cleanup took (a histogram).
public struct AgentMetrics: Sendable {
    /// Upper bounds of the cleanup-duration buckets, in seconds.
    public static let cleanupBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    public struct KindOutcome: Hashable, Sendable {
        public var kind: String
        public var outcome: String
    }

    public private(set) var attacksTotal: [KindOutcome: Int] = [:]
    public private(set) var guardTrips: [String: Int] = [:]
    public private(set) var leaseExpiries = 0
    /// Cumulative counts per bucket, then the sum and the count.
    public private(set) var cleanupBucketCounts: [Int] = Array(repeating: 0, count: AgentMetrics.cleanupBuckets.count)
    public private(set) var cleanupSecondsSum = 0.0
    public private(set) var cleanupCount = 0

    mutating func record(_ report: AttackReport) {
        switch report.outcome {
        case .stopped(let reason) where reason == "lease expired":
            leaseExpiries += 1
        case .guardTripped(let name, _):
            guardTrips[name, default: 0] += 1
        case .completed, .stopped, .aborted, .oomKilled, .failed:
            break
        }
        attacksTotal[KindOutcome(kind: report.spec.kind.rawValue, outcome: report.outcome.status), default: 0] += 1
        let seconds = report.cleanup.reapMilliseconds / 1000
        for (index, bound) in Self.cleanupBuckets.enumerated() where seconds <= bound {
            cleanupBucketCounts[index] += 1
        }
        cleanupSecondsSum += seconds
        cleanupCount += 1
    }
}
