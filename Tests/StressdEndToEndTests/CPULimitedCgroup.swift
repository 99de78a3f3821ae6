import Foundation
import Glibc

/// A cgroup with a CPU quota that this test creates and removes, so `cpu
/// --total` can be run where "the whole scope" is a container's quota, not
/// the host. v1 (`cpu/`) or v2 (unified with `cpu`).
final class CPULimitedCgroup {
    let path: String
    /// The same cgroup in a separately mounted v1 `cpuacct` hierarchy, as
    /// systemd and container runtimes make it: where the usage is counted.
    private var accounting: String?

    init?(cores: Double) {
        let v1 = "/sys/fs/cgroup/cpu"
        let v2Controllers = (try? String(contentsOfFile: "/sys/fs/cgroup/cgroup.controllers", encoding: .utf8)) ?? ""
        let period = 100_000
        let quota = Int(cores * Double(period))
        let settings: [(String, String)]
        if FileManager.default.fileExists(atPath: v1 + "/cpu.cfs_quota_us") {
            path = v1 + "/stressd-test-quota-\(getpid())"
            settings = [("cpu.cfs_period_us", "\(period)"), ("cpu.cfs_quota_us", "\(quota)")]
        } else if v2Controllers.split(separator: " ").contains("cpu") {
            path = "/sys/fs/cgroup/stressd-test-quota-\(getpid())"
            settings = [("cpu.max", "\(quota) \(period)")]
        } else {
            return nil
        }
        guard getuid() == 0, mkdir(path, 0o755) == 0 else { return nil }
        for (file, value) in settings where (try? value.write(toFile: path + "/" + file, atomically: false, encoding: .utf8)) == nil {
            rmdir(path)
            return nil
        }
        let cpuacct = "/sys/fs/cgroup/cpuacct"
        if path.hasPrefix(v1), FileManager.default.fileExists(atPath: cpuacct + "/cpuacct.usage"),
           linkTarget(cpuacct) != linkTarget(v1) {
            let twin = cpuacct + "/" + (path as NSString).lastPathComponent
            if mkdir(twin, 0o755) == 0 { accounting = twin }
        }
    }

    /// Runs `command` inside the cgroup: a shell joins it, then execs.
    func command(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        let join = ([path] + (accounting.map { [$0] } ?? [])).map { "echo $$ > \($0)/cgroup.procs" }.joined(separator: " && ")
        return ("/bin/sh", ["-c", "\(join) && exec \"$0\" \"$@\"", executable] + arguments)
    }

    deinit {
        for directory in [path] + (accounting.map { [$0] } ?? []) {
            for _ in 0..<100 where rmdir(directory) != 0 && errno == EBUSY { usleep(10_000) }
        }
    }

    private func linkTarget(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? path
    }

    static var isAvailable: Bool { CPULimitedCgroup(cores: 1) != nil }
}
