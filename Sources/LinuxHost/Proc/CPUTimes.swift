/// The CPU lines of `/proc/stat`: clock ticks each CPU has spent in each
/// state since boot.
///
/// Format (proc(5)): `cpu  9000 0 2121 118102 379 0 96 134 0 0` for all CPUs
/// together, then `cpu0 …`, `cpu1 …` per online CPU, in the order user, nice,
/// system, idle, iowait, irq, softirq, steal, guest, guest_nice. Counters are
/// in `sysconf(_SC_CLK_TCK)` ticks. Guest time is already inside user and
/// nice, so it is not added again; kernels before 2.6.11 have fewer columns,
/// which count as 0. The other lines (`intr`, `ctxt`, …) are skipped.
/// https://docs.kernel.org/filesystems/proc.html#miscellaneous-kernel-statistics-in-proc-stat
public struct CPUTimes: Hashable, Sendable {
    /// One `cpu` line.
    public struct Ticks: Hashable, Sendable {
        public var user: UInt64 = 0
        public var nice: UInt64 = 0
        public var system: UInt64 = 0
        public var idle: UInt64 = 0
        public var iowait: UInt64 = 0
        public var irq: UInt64 = 0
        public var softirq: UInt64 = 0
        /// Time a hypervisor gave to someone else: busy from this host's point
        /// of view, since no work of ours could run then.
        public var steal: UInt64 = 0

        public init(
            user: UInt64 = 0, nice: UInt64 = 0, system: UInt64 = 0, idle: UInt64 = 0, iowait: UInt64 = 0,
            irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0
        ) {
            self.user = user
            self.nice = nice
            self.system = system
            self.idle = idle
            self.iowait = iowait
            self.irq = irq
            self.softirq = softirq
            self.steal = steal
        }

        /// Waiting for I/O is idle: the CPU could have run something else.
        public var idleTicks: UInt64 { idle &+ iowait }
        public var busyTicks: UInt64 { user &+ nice &+ system &+ irq &+ softirq &+ steal }
        public var totalTicks: UInt64 { idleTicks &+ busyTicks }

        /// The share of `since`…`self` this CPU (or set of CPUs) was busy,
        /// 0...1, or nil when no tick passed. Clamped, because the iowait
        /// counter is known to step backwards on some kernels.
        public func busyFraction(since earlier: Ticks) -> Double? {
            let busy = Self.delta(busyTicks, earlier.busyTicks)
            let total = busy + Self.delta(idleTicks, earlier.idleTicks)
            guard total > 0 else { return nil }
            return min(1, max(0, Double(busy) / Double(total)))
        }

        private static func delta(_ later: UInt64, _ earlier: UInt64) -> UInt64 {
            later >= earlier ? later - earlier : 0
        }
    }

    /// The `cpu` line: all CPUs summed.
    public var all: Ticks
    /// The `cpuN` lines by CPU number. Offline CPUs have no line, so numbers may skip.
    public var perCPU: [Int: Ticks]

    public init(parsing text: String, file: String = "stat") throws(HostError) {
        var all: Ticks?
        var perCPU: [Int: Ticks] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("cpu") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            let name = words[0].dropFirst(3)
            let numbers = words.dropFirst().map { UInt64($0) }
            guard numbers.count >= 4, !numbers.contains(nil) else {
                throw .unparsable(file: file, text: String(line), reason: "expected 'cpuN user nice system idle …'")
            }
            let values = numbers.compactMap { $0 } + Array(repeating: 0, count: max(0, 8 - numbers.count))
            let ticks = Ticks(
                user: values[0], nice: values[1], system: values[2], idle: values[3], iowait: values[4],
                irq: values[5], softirq: values[6], steal: values[7]
            )
            if name.isEmpty {
                all = ticks
            } else if let number = Int(name) {
                perCPU[number] = ticks
            } else {
                throw .unparsable(file: file, text: String(line), reason: "unknown CPU name 'cpu\(name)'")
            }
        }
        guard let all else {
            throw .unparsable(file: file, text: String(text.prefix(200)), reason: "no 'cpu' line")
        }
        self.all = all
        self.perCPU = perCPU
    }

    /// CPUs the kernel reports as online (lines `cpu0`…`cpuN`).
    public var onlineCount: Int { max(1, perCPU.count) }

    /// How many cores' worth of work the whole host did between `earlier`
    /// and `self`: the busy share times the online CPUs. 1.5 on a 2-CPU host
    /// means three quarters of it was busy. nil when no tick passed.
    public func busyCores(since earlier: CPUTimes) -> Double? {
        all.busyFraction(since: earlier.all).map { $0 * Double(onlineCount) }
    }
}

extension ProcFS {
    public func cpuTimes() throws(HostError) -> CPUTimes {
        let path = file("stat")
        return try CPUTimes(parsing: read(path), file: path.string)
    }

    /// The same, through a file held open (a report's timeline, 4 Hz).
    public func cpuTimes(through held: HeldFiles) throws(HostError) -> CPUTimes {
        let path = file("stat")
        guard let text = try held.text(path, limit: 1 << 20) else {
            throw .system(call: "open", path: path.string, errno: .noSuchFileOrDirectory)
        }
        return try CPUTimes(parsing: text, file: path.string)
    }
}
