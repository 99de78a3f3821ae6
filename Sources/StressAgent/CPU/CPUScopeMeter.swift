/// Measures how many cores' worth of CPU the whole scope (the host, or the
/// cgroup under a quota) used since the previous call. `--total` mode needs
/// it to know what the rest of the host is doing.
public protocol CPUScopeMeter: Sendable {
    /// What it measures, for people: `host` or `cgroup`.
    var scope: String { get }
    /// Cores busy on average since the last call; nil on the first call.
    mutating func busyCoresSinceLastCall() -> Double?
}
