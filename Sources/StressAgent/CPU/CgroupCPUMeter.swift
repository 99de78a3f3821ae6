import LinuxHost

/// Measures the busy cores of the cgroup whose CPU quota binds stressd, for
/// `--total` mode inside a CPU-limited container: there "100%" is the
/// quota, and what competes for it is the container's own processes, not
/// the host's (which /proc/stat would count).
public struct CgroupCPUMeter: CPUScopeMeter {
    public let scope = "cgroup"
    private let usage: CgroupCPUUsage
    private var previous: (seconds: Double, instant: UInt64)?

    public init(usage: CgroupCPUUsage) {
        self.usage = usage
    }

    public mutating func busyCoresSinceLastCall() -> Double? {
        guard let seconds = try? usage.seconds() else { return nil }
        let now = (seconds: seconds, instant: MonotonicClock.now())
        defer { previous = now }
        guard let previous, now.instant > previous.instant else { return nil }
        return max(0, now.seconds - previous.seconds) / (Double(now.instant - previous.instant) / 1e9)
    }
}
