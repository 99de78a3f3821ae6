import LinuxHost

/// Measures the whole host's busy cores from /proc/stat, for `--total` mode.
public struct HostCPUMeter: CPUScopeMeter {
    public let scope = "host"
    private let procFS: ProcFS
    private var previous: CPUTimes?

    public init(procFS: ProcFS) {
        self.procFS = procFS
    }

    public mutating func busyCoresSinceLastCall() -> Double? {
        guard let now = try? procFS.cpuTimes() else { return nil }
        defer { previous = now }
        return previous.flatMap { now.busyCores(since: $0) }
    }
}
