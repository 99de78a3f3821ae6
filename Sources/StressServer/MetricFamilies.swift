import Prometheus

/// Every metric family of stressd's own with its HELP text, in one table:
/// the Prometheus registry takes one HELP per name, so the families the
/// agent counts through swift-metrics (`DescribedMetricsFactory`) and the
/// ones read at each scrape (`MetricsScrape`) all name theirs from here.
enum MetricFamilies {
    static let help: [String: String] = [
        "stressd_attacks_active": "Attacks running now.",
        "stressd_attacks_total": "Attacks ended, by kind and outcome.",
        "stressd_guard_trips_total": "Attacks stopped by a guard, by guard.",
        "stressd_lease_expiries_total": "Attacks stopped because their lease was not renewed.",
        "stressd_cleanups_total":
            "Attacks undone, by the layer that undid them: supervisor (at the attack's end), replay (at the agent's start, what an earlier run left), watchdog (the attack of an agent or command that died or hung; counted since the state directory was made, as no agent saw it happen).",
        "stressd_cleanup_duration_seconds": "From the stop decision to every worker reaped.",
        "stressd_attack_requested": "What a running attack was asked for, in its unit (cores, bytes, bytes_per_second).",
        "stressd_attack_achieved": "What a running attack achieves now, in its unit (cores, bytes, bytes_per_second, processes).",
        "stressd_attack_lease_seconds_left": "Seconds until a running attack's lease runs out unless renewed.",
        "stressd_abort_condition_holds": "1 while a running attack's abort condition held at its latest check, 0 when it failed.",
        "stressd_host_memory_available_bytes": "MemAvailable of the host.",
        "stressd_host_load_average": "1-minute load average of the host.",
        "stressd_host_cpu_seconds_total": "CPU time of all the host's CPUs since boot, busy or idle; busy over both is the usage.",
        "stressd_host_disk_available_bytes": "Free space (df's Avail) of each file system a running attack fills.",
        "process_cpu_seconds_total": "CPU time of the agent process.",
        "process_resident_memory_bytes": "Resident memory of the agent process.",
    ]

    /// The descriptor of a family in the table (a name not in it gets no HELP).
    static func descriptor(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help[name] ?? "")
    }
}
