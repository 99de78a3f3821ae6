import Glibc
import SystemPackage

/// A cgroup stressd creates for one attack's workers, so that cleanup can
/// find and kill every one of them (and anything they forked) by directory,
/// even when the ledger lost a pid.
///
/// It is a child of stressd's *own* cgroup, never a new top-level one, so the
/// workers stay under every limit that applies to stressd (a container's CPU
/// quota or memory limit). No controllers are enabled below it, so cgroup
/// v2's no-internal-processes rule does not stand in the way.
public struct AttackCgroup: Sendable, Hashable {
    public let path: FilePath

    public init(path: FilePath) {
        self.path = path
    }

    /// Where the cgroup for `name` goes: under this process's cgroup in the
    /// v1 hierarchy that carries `controller`, or in the unified hierarchy.
    /// Nil when no cgroup file system is mounted.
    public static func plan(name: String, controller: String, cgroupFS: CgroupFS, membership: CgroupMembership) -> AttackCgroup? {
        if let mount = cgroupFS.v1Mount(for: controller), let own = membership.path(forController: controller) {
            return AttackCgroup(path: CgroupFS.directory(own, under: mount).appending(name))
        }
        if let mount = cgroupFS.unifiedMount, let own = membership.unifiedPath {
            return AttackCgroup(path: CgroupFS.directory(own, under: mount).appending(name))
        }
        return nil
    }

    public func create() throws(HostError) {
        if mkdir(path.string, 0o755) != 0 && Glibc.errno != EEXIST {
            throw .system(call: "mkdir", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
    }

    /// Moves a process into the cgroup.
    public func add(_ pid: Int32) throws(HostError) {
        try TextFile.writeValue(String(pid), to: path.appending("cgroup.procs"))
    }

    public var exists: Bool { Directory.exists(path) }

    /// Processes in the cgroup now.
    public func members() throws(HostError) -> [Int32] {
        try TextFile.read(path.appending("cgroup.procs"))
            .split(separator: "\n").compactMap { Int32($0) }
    }

    /// Kills everything inside (`cgroup.kill` on v2, SIGKILL per member on
    /// v1), waits for it to empty, and removes the directory. Only stressd
    /// puts processes here, so every member is one of its workers or their
    /// children. Returns how many processes it killed; a missing cgroup is
    /// already destroyed.
    @discardableResult
    public func destroy(timeoutMilliseconds: Int = 2000) throws(HostError) -> Int {
        guard exists else { return 0 }
        var killed = 0
        let deadline = MonotonicClock.now() + UInt64(timeoutMilliseconds) * 1_000_000
        while true {
            let pids = (try? members()) ?? []
            if !pids.isEmpty {
                killed = max(killed, pids.count)
                let killFile = path.appending("cgroup.kill")
                if Directory.exists(killFile) {
                    try? TextFile.writeValue("1", to: killFile)
                } else {
                    pids.forEach { _ = kill($0, SIGKILL) }
                }
            }
            if rmdir(path.string) == 0 || Glibc.errno == ENOENT { return killed }
            guard Glibc.errno == EBUSY, MonotonicClock.now() < deadline else {
                throw .system(call: "rmdir", path: path.string, errno: Errno(rawValue: Glibc.errno))
            }
            usleep(2000)
        }
    }
}
