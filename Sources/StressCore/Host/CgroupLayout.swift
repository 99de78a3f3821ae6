/// Which cgroup versions a host uses. Shared by the cgroup reader that
/// detects it and the host snapshot that reports it.
public enum CgroupLayout: String, Codable, Hashable, Sendable {
    /// Only cgroup v1 controller hierarchies (`cpu/`, `memory/`, …).
    case v1
    /// Only cgroup2, mounted at the root (most current distributions).
    case v2
    /// v1 controllers plus cgroup2 at `unified/` (systemd's hybrid mode).
    case hybrid
    /// Nothing usable is mounted.
    case none
}
