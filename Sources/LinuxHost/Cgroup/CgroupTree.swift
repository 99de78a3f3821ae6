import StressCore
import SystemPackage

/// The cgroup2 tree as abort conditions read it: a cgroup's directory by
/// its path (as /proc/PID/cgroup shows it) or a systemd unit's by its name,
/// each opened one directory at a time without following a link, so a
/// path given in a request cannot lead a root agent out of the tree.
public struct CgroupTree: Sendable {
    /// How deep a unit is looked for: systemd nests slices a few levels
    /// (`/user.slice/user-1000.slice/user@1000.service/app.slice/x.service`).
    public static let maxUnitDepth = 6

    let cgroupFS: CgroupFS

    public init(cgroupFS: CgroupFS) {
        self.cgroupFS = cgroupFS
    }

    /// The directory of the cgroup at `path` (`/system.slice/app.service`).
    public func directory(_ path: String) throws(HostError) -> OpenDirectory {
        var current = try root()
        for component in path.split(separator: "/") {
            guard component != ".", component != ".." else {
                throw .untrusted(path: path, reason: "has a . or .. step; give the cgroup's path from the root of the tree")
            }
            current = try current.openDirectory(String(component))
        }
        return current
    }

    /// The directory of the unit named `unit` (`nginx.service`): the
    /// shallowest one of that name (a user's `dbus.service` lies deeper than
    /// the system's), looked for one depth after another, so that at most
    /// one directory per level is open at a time however wide the tree.
    public func unitDirectory(_ unit: String) throws(HostError) -> OpenDirectory {
        for depth in 1...Self.maxUnitDepth {
            if let found = try find(unit, in: try root(), depth: depth) { return found }
        }
        throw .system(call: "find unit", path: cgroupFS.root.appending(unit).string, errno: .noSuchFileOrDirectory)
    }

    /// `unit` exactly `depth` levels below `directory`.
    private func find(_ unit: String, in directory: OpenDirectory, depth: Int) throws(HostError) -> OpenDirectory? {
        for name in try directory.entries() where !Self.isInterfaceFile(name) {
            if depth == 1 {
                if name == unit, let found = try? directory.openDirectory(name) { return found }
            } else if let child = try? directory.openDirectory(name), let found = try find(unit, in: child, depth: depth - 1) {
                return found
            }
        }
        return nil
    }

    /// `cgroup.procs`, `memory.pressure`...: the files of a cgroup, named
    /// after their controller, are not looked into.
    static func isInterfaceFile(_ name: String) -> Bool {
        guard let dot = name.firstIndex(of: ".") else { return false }
        return ["cgroup", "cpu", "cpuset", "memory", "io", "pids", "hugetlb", "rdma", "misc", "irq"].contains(String(name[..<dot]))
    }

    private func root() throws(HostError) -> OpenDirectory {
        guard let mount = cgroupFS.unifiedMount else {
            throw .system(call: "open", path: cgroupFS.root.appending("cgroup.controllers").string, errno: .noSuchFileOrDirectory)
        }
        return try OpenDirectory.openWithoutLinks(mount)
    }
}
