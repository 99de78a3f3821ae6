import StressCore
import SystemPackage

/// The one place that spells `/sys/fs/cgroup`. Knows which cgroup versions
/// the host mounts there; tests point it at fixture trees of each layout.
public struct CgroupFS: Sendable {
    public typealias Layout = CgroupLayout

    public let root: FilePath

    public init(root: FilePath = "/sys/fs/cgroup") {
        self.root = root
    }

    /// Where cgroup2 is mounted, if it is: the root, or `unified/` in hybrid mode.
    public var unifiedMount: FilePath? {
        if Directory.exists(root.appending("cgroup.controllers")) { return root }
        let unified = root.appending("unified")
        if Directory.exists(unified.appending("cgroup.controllers")) { return unified }
        return nil
    }

    /// The mount of the v1 hierarchy that carries `controller` (`cpu`, `memory`).
    /// Hierarchies mounted together (`cpu,cpuacct`) are found by either name.
    public func v1Mount(for controller: String) -> FilePath? {
        guard unifiedMount != root else { return nil }
        let candidate = root.appending(controller)
        return Directory.exists(candidate.appending("cgroup.procs")) ? candidate : nil
    }

    public var layout: Layout {
        let unified = unifiedMount
        if unified == root { return .v2 }
        let hasV1 = ["cpu", "memory", "cpuacct", "pids"].contains { v1Mount(for: $0) != nil }
        switch (hasV1, unified != nil) {
        case (true, true): return .hybrid
        case (true, false): return .v1
        case (false, true): return .v2
        case (false, false): return .none
        }
    }

    /// Turns a path from /proc/PID/cgroup into a directory under `mount`.
    public static func directory(_ relative: String, under mount: FilePath) -> FilePath {
        var path = mount
        for component in relative.split(separator: "/") where !component.isEmpty {
            path.append(String(component))
        }
        return path
    }
}
