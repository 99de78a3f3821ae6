import StressCore

/// One process's `/proc/PID/stat`.
///
/// Format (proc(5)): `pid (comm) state ppid pgrp … utime stime … starttime
/// vsize rss …`, e.g. `4242 (my (odd) name) S 1 4242 4242 0 -1 …`. `comm`
/// may hold spaces and parentheses, so it runs from the first `(` to the
/// *last* `)`; the fields after it are counted from field 3 (`state`).
/// https://docs.kernel.org/filesystems/proc.html
public struct ProcessStat: Hashable, Sendable {
    public var pid: Int32
    /// The executable name, at most 15 bytes, as the kernel truncates it.
    public var command: String
    /// `R` running, `S` sleeping, `D` disk sleep, `T` stopped, `Z` zombie, `I` idle kernel thread…
    public var state: Character
    public var parentPID: Int32
    /// User and system CPU time, in clock ticks (`sysconf(_SC_CLK_TCK)`).
    public var userTicks: UInt64
    public var systemTicks: UInt64
    public var threads: Int
    /// Clock ticks after boot when the process started: half of its identity.
    public var startTime: UInt64
    /// Resident set size in pages.
    public var residentPages: UInt64
    /// Kernel threads have the PF_KTHREAD flag (0x00200000) set.
    public var flags: UInt64

    public var identity: ProcessIdentity { ProcessIdentity(pid: pid, startTime: startTime) }
    public var cpuTicks: UInt64 { userTicks + systemTicks }
    public var isKernelThread: Bool { flags & 0x0020_0000 != 0 }
    /// Zombie (`Z`) or dead (`X`): exited, waiting only to be reaped.
    public var hasExited: Bool { state == "Z" || state == "X" }

    public init(parsing text: String, file: String = "stat") throws(HostError) {
        // Bytes, not Characters: a process table reads one of these per
        // process, and the kernel writes ASCII around `comm`.
        let bytes = text.utf8
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")), let close = bytes.lastIndex(of: UInt8(ascii: ")")),
              open < close,
              case let pidWords = bytes[..<open].split(separator: UInt8(ascii: " ")), pidWords.count == 1,
              let pid = UInt64(asciiDecimal: pidWords[0]).flatMap(Int32.init(exactly:))
        else {
            throw .unparsable(file: file, text: text, reason: "no 'pid (comm)' prefix")
        }
        let fields = bytes[bytes.index(after: close)...].split(separator: UInt8(ascii: " "))
        // fields[0] is field 3 (state); field N is fields[N - 3].
        func field<T: FixedWidthInteger>(_ number: Int, as type: T.Type = T.self) throws(HostError) -> T {
            guard fields.count > number - 3, let value = UInt64(asciiDecimal: fields[number - 3]).flatMap(T.init(exactly:)) else {
                throw .unparsable(file: file, text: text, reason: "field \(number) missing or not a number")
            }
            return value
        }
        guard let state = fields.first?.first, state < 0x80 else {
            throw .unparsable(file: file, text: text, reason: "no state field")
        }
        self.pid = pid
        self.command = String(decoding: bytes[bytes.index(after: open)..<close], as: UTF8.self)
        self.state = Character(Unicode.Scalar(state))
        self.parentPID = try field(4)
        self.flags = try field(9)
        self.userTicks = try field(14)
        self.systemTicks = try field(15)
        self.threads = try field(20)
        self.startTime = try field(22)
        self.residentPages = try field(24)
    }
}

extension ProcFS {
    /// Reads and parses `/proc/PID/stat`; ENOENT means the process is gone.
    public func processStat(_ pid: Int32) throws(HostError) -> ProcessStat {
        let path = process(pid, "stat")
        return try ProcessStat(parsing: read(path), file: path.string)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var result = self
        while result.first == set { result.removeFirst() }
        while result.last == set { result.removeLast() }
        return result
    }
}
