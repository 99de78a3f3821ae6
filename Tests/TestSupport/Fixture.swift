import LinuxHost
import SystemPackage
import Testing

/// The trees under Tests/Fixtures, each a recorded or hand-made host laid out
/// like the real one (`proc/…`, `sys/fs/cgroup/…`), found beside this
/// file's folder.
public enum Fixture: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// Recorded from the development VM: v1 controllers plus cgroup2 at `unified/`.
    case hybridHost = "hybrid-host"
    /// A Docker container on a cgroup2 host: 512 MiB and 1.5 CPUs, overlay root.
    case v2Container = "v2-container"
    /// An older pure-v1 host with a CFS quota on a parent slice.
    case v1Host = "v1-host"
    /// Empty and truncated files.
    case odd
    /// A /proc laid out like a systemd host's (services in their own
    /// cgroups), for `--unit` and friends.
    case systemdUnits = "systemd-units"

    public var root: FilePath {
        FilePath(#filePath).removingLastComponent().removingLastComponent()
            .appending("Fixtures").appending(rawValue)
    }

    public var proc: ProcFS { ProcFS(root: root.appending("proc")) }
    public var cgroups: CgroupFS { CgroupFS(root: root.appending("sys/fs/cgroup")) }

    public var testDescription: String { rawValue }
}
