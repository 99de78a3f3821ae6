import SystemPackage

/// A cgroup's memory event counters: how often it hit its limits and, what
/// stressd needs, how many times the kernel's OOM killer struck inside it.
///
/// Both versions write `key value` lines:
/// - v2 `memory.events`: `low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n`
///   https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files
/// - v1 `memory.oom_control`: `oom_kill_disable 0\nunder_oom 0\noom_kill 1\n`
///   (`oom_kill` since Linux 4.13)
///   https://docs.kernel.org/admin-guide/cgroup-v1/memory.html
///
/// Every counter is kept; unknown ones (newer kernels add some) are not errors.
public struct MemoryEvents: Hashable, Sendable {
    public static let v2File = "memory.events"
    public static let v1File = "memory.oom_control"

    /// Every `key value` pair, as written.
    public var counters: [String: UInt64]

    /// Processes the OOM killer killed in the cgroup; nil where the kernel
    /// keeps no count (v1 before 4.13).
    public var oomKills: UInt64? { counters["oom_kill"] }

    public init(parsing text: String, file: String) throws(HostError) {
        var counters: [String: UInt64] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2 else {
                throw .unparsable(file: file, text: String(line), reason: "expected 'key value'")
            }
            guard let value = UInt64(words[1]) else {
                throw .unparsable(file: file, text: String(line), reason: "\(words[0]) is not a count")
            }
            counters[String(words[0])] = value
        }
        self.counters = counters
    }
}

extension AttackCgroup {
    /// The memory event counters: `memory.events` (v2) or `memory.oom_control`
    /// (v1), whichever the cgroup has; nil when it has neither (no memory
    /// controller on it).
    public func memoryEvents() throws(HostError) -> MemoryEvents? {
        for name in [MemoryEvents.v2File, MemoryEvents.v1File] {
            let file = path.appending(name)
            do {
                return try MemoryEvents(parsing: TextFile.read(file), file: file.string)
            } catch let error where error.errno == .noSuchFileOrDirectory {
                continue
            }
        }
        return nil
    }

    /// OOM kills inside this cgroup so far; nil where the kernel keeps no count.
    public func oomKills() throws(HostError) -> UInt64? {
        try memoryEvents()?.oomKills
    }
}
