import SystemPackage

/// How many times the kernel's OOM killer struck inside a cgroup.
///
/// v2 `memory.events`: `low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n…`;
/// v1 `memory.oom_control`: `oom_kill_disable 0\nunder_oom 0\noom_kill 1\n`.
/// Both are `key value` lines; only `oom_kill` matters here (v1 has it since
/// Linux 4.13). https://docs.kernel.org/admin-guide/cgroup-v2.html
public enum MemoryEvents {
    /// The `oom_kill` count in either file; nil if the file has none.
    public static func oomKills(parsing text: String, file: String) throws(HostError) -> UInt64? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else {
                throw .unparsable(file: file, text: String(line), reason: "expected 'key value'")
            }
            if parts[0] == "oom_kill" {
                guard let count = UInt64(parts[1]) else {
                    throw .unparsable(file: file, text: String(line), reason: "oom_kill is not a number")
                }
                return count
            }
        }
        return nil
    }
}

extension AttackCgroup {
    /// OOM kills inside this cgroup so far; nil where the kernel keeps no count.
    public func oomKills() throws(HostError) -> UInt64? {
        for name in ["memory.events", "memory.oom_control"] {
            let file = path.appending(name)
            guard Directory.exists(file) else { continue }
            return try MemoryEvents.oomKills(parsing: TextFile.read(file), file: file.string)
        }
        return nil
    }
}
