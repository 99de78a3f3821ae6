import CoreMetrics
import StressCore

/// What the agent counts as attacks end, through swift-metrics so any
/// backend can take it (`serve` gives it Prometheus's, `/metrics`): attacks
/// by kind and outcome, guard trips, lease expiries, attacks undone by
/// each cleanup layer, and how long cleanup took.
public struct AgentMetrics: Sendable {
    /// Upper bounds of the cleanup-duration histogram's buckets.
    public static let cleanupBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]

    private let factory: any MetricsFactory

    /// Nothing is counted with swift-metrics' default factory until a
    /// backend is bootstrapped (tests and one-shot commands need none).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        // Exported from the start at 0: a rate needs a sample before the first.
        _ = Counter(label: "stressd_lease_expiries_total", factory: factory)
        for name in Guard.Trip.Name.allCases {
            _ = Counter(label: "stressd_guard_trips_total", dimensions: [("guard", name.rawValue)], factory: factory)
        }
    }

    func record(_ report: AttackReport) {
        switch report.outcome {
        case .stopped(let reason) where reason == "lease expired":
            Counter(label: "stressd_lease_expiries_total", factory: factory).increment()
        case .guardTripped(let name, _):
            Counter(label: "stressd_guard_trips_total", dimensions: [("guard", name)], factory: factory).increment()
        case .completed, .stopped, .aborted, .oomKilled, .failed:
            break
        }
        Counter(
            label: "stressd_attacks_total", dimensions: [("kind", report.spec.kind.rawValue), ("outcome", report.outcome.status)],
            factory: factory
        ).increment()
        Counter(label: "stressd_cleanups_total", dimensions: [("layer", report.cleanup.undoneBy.rawValue)], factory: factory).increment()
        Timer(label: "stressd_cleanup_duration_seconds", factory: factory)
            .recordNanoseconds(Int64((report.cleanup.reapMilliseconds * 1e6).rounded()))
    }

    /// What the ledger replay undid at the agent's start: attacks an earlier
    /// run left (their supervisor and watchdog both gone).
    func recovered(_ results: [UndoResult]) {
        for result in results {
            Counter(label: "stressd_cleanups_total", dimensions: [("layer", result.layer.rawValue)], factory: factory).increment()
        }
    }
}
