import LinuxHost
import SystemPackage
import Testing

/// The trees under Tests/Fixtures, each a recorded or hand-made host laid out
/// like the real one (`proc/…`, `sys/fs/cgroup/…`), found next to this file.
enum Fixture: String, CaseIterable, CustomTestStringConvertible {
    /// Recorded from the development VM: v1 controllers plus cgroup2 at `unified/`.
    case hybridHost = "hybrid-host"
    /// A Docker container on a cgroup2 host: 512 MiB and 1.5 CPUs, overlay root.
    case v2Container = "v2-container"
    /// An older pure-v1 host with a CFS quota on a parent slice.
    case v1Host = "v1-host"
    /// Empty and truncated files.
    case odd

    var root: FilePath {
        FilePath(#filePath).removingLastComponent().removingLastComponent()
            .appending("Fixtures").appending(rawValue)
    }

    var proc: ProcFS { ProcFS(root: root.appending("proc")) }
    var cgroups: CgroupFS { CgroupFS(root: root.appending("sys/fs/cgroup")) }

    var testDescription: String { rawValue }
}
