import Foundation
import Glibc

/// A memory cgroup with a small limit that this test creates and removes,
/// so the kernel's OOM killer can be provoked inside it without touching
/// the rest of the host. v1 (`memory/`) or v2 (unified with `memory`).
final class MemoryLimitedCgroup {
    let path: String
    /// `memory.usage_in_bytes` (v1) or `memory.current` (v2).
    private let usageFile: String

    init?(limitBytes: UInt64) {
        let v1 = "/sys/fs/cgroup/memory"
        let v2Controllers = (try? String(contentsOfFile: "/sys/fs/cgroup/cgroup.controllers", encoding: .utf8)) ?? ""
        let limitFile: String
        if FileManager.default.fileExists(atPath: v1 + "/memory.limit_in_bytes") {
            path = v1 + "/stressd-test-oom-\(getpid())"
            limitFile = "memory.limit_in_bytes"
            usageFile = "memory.usage_in_bytes"
        } else if v2Controllers.split(separator: " ").contains(where: { $0.hasPrefix("memory") }) {
            path = "/sys/fs/cgroup/stressd-test-oom-\(getpid())"
            limitFile = "memory.max"
            usageFile = "memory.current"
        } else {
            return nil
        }
        guard getuid() == 0, mkdir(path, 0o755) == 0 else { return nil }
        guard (try? String(limitBytes).write(toFile: path + "/" + limitFile, atomically: false, encoding: .utf8)) != nil else {
            rmdir(path)
            return nil
        }
    }

    /// What the cgroup's processes use now, as its guard reads it.
    var usageBytes: UInt64? {
        (try? String(contentsOfFile: path + "/" + usageFile, encoding: .utf8)).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Runs `command` inside the cgroup: a shell joins it, then execs.
    func command(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        ("/bin/sh", ["-c", "echo $$ > \(path)/cgroup.procs && exec \"$0\" \"$@\"", executable] + arguments)
    }

    deinit {
        // Anything the test started in here is gone by now; retry briefly while the kernel empties it.
        for _ in 0..<100 where rmdir(path) != 0 && errno == EBUSY { usleep(10_000) }
    }

    static var isAvailable: Bool { MemoryLimitedCgroup(limitBytes: 64 << 20) != nil }
}
