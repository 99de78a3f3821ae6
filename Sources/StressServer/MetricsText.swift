import Glibc
import LinuxHost
import StressAgent
import StressCore

/// `/metrics` in the Prometheus text format (version 0.0.4): a few lines of
/// text, so no client library is needed.
enum MetricsText {
    static func render(agent: Agent, procFS: ProcFS = ProcFS()) async -> String {
        let metrics = await agent.metrics
        let active = await agent.runningByKind
        var out = MetricsWriter()
        func seconds(_ ticks: UInt64) -> Double { Double(ticks) / SystemConstants.clockTicksPerSecond }
        out.family("stressd_attacks_active", "gauge", "Attacks running now.")
        for kind in AttackKind.allCases {
            out.sample("stressd_attacks_active", ["kind": kind.rawValue], Double(active[kind] ?? 0))
        }
        out.family("stressd_attacks_total", "counter", "Attacks ended, by kind and outcome.")
        for (key, count) in metrics.attacksTotal.sorted(by: { ($0.key.kind, $0.key.outcome) < ($1.key.kind, $1.key.outcome) }) {
            out.sample("stressd_attacks_total", ["kind": key.kind, "outcome": key.outcome], Double(count))
        }
        out.family("stressd_guard_trips_total", "counter", "Attacks stopped by a guard, by guard.")
        for (name, count) in metrics.guardTrips.sorted(by: { $0.key < $1.key }) {
            out.sample("stressd_guard_trips_total", ["guard": name], Double(count))
        }
        out.family("stressd_lease_expiries_total", "counter", "Attacks stopped because their lease was not renewed.")
        out.sample("stressd_lease_expiries_total", [:], Double(metrics.leaseExpiries))
        out.family("stressd_cleanup_duration_seconds", "histogram", "From the stop decision to every worker reaped.")
        for (bound, count) in zip(AgentMetrics.cleanupBuckets, metrics.cleanupBucketCounts) {
            out.sample("stressd_cleanup_duration_seconds_bucket", ["le": String(bound)], Double(count))
        }
        out.sample("stressd_cleanup_duration_seconds_bucket", ["le": "+Inf"], Double(metrics.cleanupCount))
        out.sample("stressd_cleanup_duration_seconds_sum", [:], metrics.cleanupSecondsSum)
        out.sample("stressd_cleanup_duration_seconds_count", [:], Double(metrics.cleanupCount))
        if let memory = try? procFS.memInfo() {
            out.family("stressd_host_memory_available_bytes", "gauge", "MemAvailable of the host.")
            out.sample("stressd_host_memory_available_bytes", [:], Double(memory.availableBytes))
        }
        if let load = try? procFS.loadAverage() {
            out.family("stressd_host_load_average", "gauge", "1-minute load average of the host.")
            out.sample("stressd_host_load_average", [:], load.one)
        }
        if let cpu = try? procFS.cpuTimes() {
            out.family("stressd_host_cpu_seconds_total", "counter", "CPU time of all the host's CPUs since boot, busy or idle; busy over both is the usage.")
            out.sample("stressd_host_cpu_seconds_total", ["mode": "busy"], seconds(cpu.all.busyTicks))
            out.sample("stressd_host_cpu_seconds_total", ["mode": "idle"], seconds(cpu.all.idleTicks))
        }
        let filled = await agent.writtenPaths()
        if !filled.isEmpty {
            out.family("stressd_host_disk_available_bytes", "gauge", "Free space (df's Avail) of each file system a running attack fills.")
            for path in filled {
                if let capacity = try? DiskPathCheck.capacity(of: path) {
                    out.sample("stressd_host_disk_available_bytes", ["path": path], Double(capacity.availableBytes))
                }
            }
        }
        if let own = try? procFS.processStat(getpid()) {
            out.family("process_cpu_seconds_total", "counter", "CPU time of the agent process.")
            out.sample("process_cpu_seconds_total", [:], seconds(own.cpuTicks))
            out.family("process_resident_memory_bytes", "gauge", "Resident memory of the agent process.")
            out.sample("process_resident_memory_bytes", [:], Double(own.residentPages * SystemConstants.pageSize))
        }
        return out.text
    }
}

/// Accumulates families and samples, escaping label values.
struct MetricsWriter {
    private(set) var text = ""

    mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        let rendered = labels.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.reduce(into: "") { escaped, character in
                switch character {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.append(character)
                }
            }
            return "\(key)=\"\(escaped)\""
        }
        let labelText = rendered.isEmpty ? "" : "{" + rendered.joined(separator: ",") + "}"
        let number = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        text += "\(name)\(labelText) \(number)\n"
    }
}
