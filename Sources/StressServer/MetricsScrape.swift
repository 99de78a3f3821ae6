import Glibc
import LinuxHost
import Prometheus
import StressAgent
import StressCore
import Synchronization

/// `/metrics`: the agent's Prometheus registry in the text format. What the
/// agent counts arrives through swift-metrics as it happens
/// (`AgentMetrics`, Hummingbird's `MetricsMiddleware`); what is read (the
/// host, the agent process, each running attack) is set here at each
/// scrape, and a series that is no longer read (an attack that ended, a
/// fill's file system) goes from the registry.
public final class MetricsScrape: Sendable {
    let registry: PrometheusCollectorRegistry
    /// Where the agent's and Hummingbird's swift-metrics go: `registry`.
    /// `serve` bootstraps swift-metrics with it and gives it to its agent.
    public let factory: DescribedMetricsFactory
    private let procFS: ProcFS
    private let series = Mutex(ReadSeries())

    /// One series: a family and its labels.
    private struct SeriesKey: Hashable {
        var name: String
        var labels: [String]

        init(_ name: String, _ labels: [(String, String)]) {
            self.name = name
            self.labels = labels.flatMap { [$0.0, $0.1] }
        }

        var pairs: [(String, String)] {
            stride(from: 0, to: labels.count, by: 2).map { (labels[$0], labels[$0 + 1]) }
        }
    }

    /// The gauges set at the last scrape, and the running totals kept
    /// outside the agent (the kernel's, the watchdogs' tally) as last
    /// exported by their counters (which only go up by the difference).
    private struct ReadSeries {
        var gauges: [SeriesKey: Gauge] = [:]
        var totals: [SeriesKey: Double] = [:]
    }

    /// A new registry of its own: two agents in one process (tests) never
    /// count into each other's.
    public init(procFS: ProcFS = ProcFS()) {
        registry = PrometheusCollectorRegistry()
        factory = DescribedMetricsFactory(registry: registry)
        self.procFS = procFS
    }

    public func render(agent: Agent) async -> String {
        let running = await agent.runningAttacks()
        let filled = await agent.writtenPaths()
        let active = running.reduce(into: [AttackKind: Int]()) { counts, attack in
            if let kind = attack.spec?.kind { counts[kind, default: 0] += 1 }
        }
        var gauges: [SeriesKey: Double] = [:]
        var totals: [SeriesKey: Double] = [:]
        func seconds(_ ticks: UInt64) -> Double { Double(ticks) / SystemConstants.clockTicksPerSecond }

        for kind in AttackKind.allCases {
            gauges[SeriesKey("stressd_attacks_active", [("kind", kind.rawValue)])] = Double(active[kind] ?? 0)
        }
        for attack in running {
            let kind = attack.spec?.kind.rawValue ?? "unknown"
            let attackLabels = [("id", attack.id.description), ("kind", kind)]
            if let level = attack.level {
                let labels = attackLabels + [("unit", level.unit)]
                gauges[SeriesKey("stressd_attack_achieved", labels)] = level.achieved
                if let requested = level.requested {
                    gauges[SeriesKey("stressd_attack_requested", labels)] = requested
                }
            }
            if let left = attack.leaseSecondsLeft {
                gauges[SeriesKey("stressd_attack_lease_seconds_left", attackLabels)] = left
            }
            for verdict in attack.conditions ?? [] {
                gauges[SeriesKey("stressd_abort_condition_holds", attackLabels + [("condition", verdict.condition)])] = verdict.passed ? 1 : 0
            }
        }
        if let undos = agent.watchdogUndos() {
            totals[SeriesKey("stressd_cleanups_total", [("layer", CleanupLayer.watchdog.rawValue)])] = Double(undos)
        }
        if let memory = try? procFS.memInfo() {
            gauges[SeriesKey("stressd_host_memory_available_bytes", [])] = Double(memory.availableBytes)
        }
        if let load = try? procFS.loadAverage() {
            gauges[SeriesKey("stressd_host_load_average", [])] = load.one
        }
        if let cpu = try? procFS.cpuTimes() {
            totals[SeriesKey("stressd_host_cpu_seconds_total", [("mode", "busy")])] = seconds(cpu.all.busyTicks)
            totals[SeriesKey("stressd_host_cpu_seconds_total", [("mode", "idle")])] = seconds(cpu.all.idleTicks)
        }
        for path in filled {
            if let capacity = try? DiskPathCheck.capacity(of: path) {
                gauges[SeriesKey("stressd_host_disk_available_bytes", [("path", path)])] = Double(capacity.availableBytes)
            }
        }
        if let own = try? procFS.processStat(getpid()) {
            totals[SeriesKey("process_cpu_seconds_total", [])] = seconds(own.cpuTicks)
            gauges[SeriesKey("process_resident_memory_bytes", [])] = Double(own.residentPages * SystemConstants.pageSize)
        }
        return series.withLock { series in
            update(&series, gauges: gauges, totals: totals)
            return registry.emitToString()
        }
    }

    /// Sets each gauge read now, removes the ones not read any more, and
    /// brings each counter of a running total up to it (exported from 0 on,
    /// so a rate has a sample before the first rise).
    private func update(_ series: inout ReadSeries, gauges: [SeriesKey: Double], totals: [SeriesKey: Double]) {
        for (key, gauge) in series.gauges where gauges[key] == nil {
            registry.unregisterGauge(gauge)
            series.gauges[key] = nil
        }
        for (key, value) in gauges {
            let gauge = series.gauges[key] ?? registry.makeGauge(descriptor: MetricFamilies.descriptor(key.name), labels: key.pairs)
            gauge.set(value)
            series.gauges[key] = gauge
        }
        for (key, value) in totals {
            let counter = registry.makeCounter(descriptor: MetricFamilies.descriptor(key.name), labels: key.pairs)
            let last = series.totals[key] ?? 0
            if value > last {
                counter.increment(by: value - last)
                series.totals[key] = value
            }
        }
    }
}
