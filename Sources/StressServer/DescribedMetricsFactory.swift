import CoreMetrics
import Prometheus
import StressAgent

/// swift-metrics onto the agent's Prometheus registry: swift-prometheus's
/// `PrometheusMetricsFactory` for every metric (Hummingbird's request
/// metrics among them), except that stressd's own families get their HELP
/// line from `MetricFamilies` and the cleanup histogram its buckets. That
/// factory registers everything without HELP, and the registry stops the
/// process on a second, different HELP for a name, so stressd's families
/// are always made through here.
public struct DescribedMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    private let base: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        base = PrometheusMetricsFactory(registry: registry)
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        guard MetricFamilies.help[label] != nil else { return base.makeCounter(label: label, dimensions: dimensions) }
        return registry.makeCounter(descriptor: MetricFamilies.descriptor(label), labels: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        guard label == "stressd_cleanup_duration_seconds" else { return base.makeTimer(label: label, dimensions: dimensions) }
        return registry.makeDurationHistogram(
            descriptor: MetricFamilies.descriptor(label), labels: dimensions, buckets: AgentMetrics.cleanupBuckets)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        base.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        base.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        base.makeMeter(label: label, dimensions: dimensions)
    }

    public func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { base.destroyFloatingPointCounter(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { base.destroyTimer(handler) }
}
