/// One process's `/proc/PID/status`: its memory in bytes, which `stat` only
/// gives in pages and without the peak, the locked or the swapped part.
///
/// Format (proc(5)): one `Key:<TAB>value` line per field, e.g.
/// ```
/// Name:	sleep
/// State:	S (sleeping)
/// Tgid:	27540
/// Pid:	27540
/// PPid:	27531
/// NSpid:	27540	1
/// VmHWM:	    1828 kB
/// VmRSS:	    1828 kB
/// ```
/// Sizes are in KiB although the kernel writes `kB`. `Name` is the command
/// (at most 15 bytes) with `\n`, `\t` and `\\` escaped; it may hold spaces
/// and colons, so a line splits at its *first* colon. Kernel threads have no
/// address space, hence no `Vm*` lines: those fields are nil, not zero.
/// `Tgid` is the process a thread belongs to (equal to `Pid` for the main
/// thread: /proc/TID/status exists for every thread although /proc lists
/// only processes). `NSpid` (Linux 4.1+) lists the pid in each pid namespace
/// from the one /proc was mounted in down to the process's own, tab-separated.
/// Unknown fields are skipped: they come and go between kernel versions.
/// https://docs.kernel.org/filesystems/proc.html (table 1-2)
public struct ProcessStatus: Hashable, Sendable {
    /// The executable name, unescaped.
    public var name: String
    /// `R` running, `S` sleeping, `D` disk sleep, `T` stopped, `Z` zombie, `I` idle…
    public var state: Character
    public var pid: Int32?
    /// `Tgid`: the process this thread belongs to.
    public var threadGroupID: Int32?
    /// `NSpid`: the pid in each nested pid namespace, outermost first; the
    /// last is the pid inside its own (1 for a container's init). Empty
    /// before Linux 4.1.
    public var namespacePIDs: [Int32]
    public var parentPID: Int32?
    public var threads: Int?
    /// `VmRSS`: resident now.
    public var residentBytes: UInt64?
    /// `VmHWM`: the most that was ever resident (high water mark).
    public var peakResidentBytes: UInt64?
    /// `VmSwap`: anonymous memory swapped out.
    public var swappedBytes: UInt64?
    /// `VmLck`: locked with mlock(2) or `MAP_LOCKED`.
    public var lockedBytes: UInt64?

    public init(parsing text: String, file: String = "status") throws(HostError) {
        var values: [Substring: Substring] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else {
                throw .unparsable(file: file, text: String(line), reason: "expected 'Key: value'")
            }
            values[line[..<colon]] = line[line.index(after: colon)...].drop { $0 == "\t" || $0 == " " }
        }
        guard let name = values["Name"] else {
            throw .unparsable(file: file, text: text, reason: "no Name line")
        }
        guard let state = values["State"]?.first else {
            throw .unparsable(file: file, text: text, reason: "no State line")
        }
        func number<T: FixedWidthInteger>(_ key: Substring) throws(HostError) -> T? {
            guard let value = values[key] else { return nil }
            guard let number = T(value.trimmingCharacters(in: " ")) else {
                throw .unparsable(file: file, text: "\(key):\(value)", reason: "not a number")
            }
            return number
        }
        func bytes(_ key: Substring) throws(HostError) -> UInt64? {
            guard let value = values[key] else { return nil }
            let words = value.split(separator: " ")
            guard words.count == 2, words[1] == "kB", let kibibytes = UInt64(words[0]) else {
                throw .unparsable(file: file, text: "\(key):\(value)", reason: "expected '<number> kB'")
            }
            let (product, overflow) = kibibytes.multipliedReportingOverflow(by: 1024)
            guard !overflow else {
                throw .unparsable(file: file, text: "\(key):\(value)", reason: "size too large")
            }
            return product
        }
        self.name = Self.unescape(name)
        self.state = state
        self.pid = try number("Pid")
        self.threadGroupID = try number("Tgid")
        self.namespacePIDs = try Self.pids(values["NSpid"], file: file)
        self.parentPID = try number("PPid")
        self.threads = try number("Threads")
        self.residentBytes = try bytes("VmRSS")
        self.peakResidentBytes = try bytes("VmHWM")
        self.swappedBytes = try bytes("VmSwap")
        self.lockedBytes = try bytes("VmLck")
    }

    /// `NSpid`'s tab-separated pids.
    private static func pids(_ value: Substring?, file: String) throws(HostError) -> [Int32] {
        guard let value else { return [] }
        var pids: [Int32] = []
        for word in value.split(whereSeparator: { $0 == "\t" || $0 == " " }) {
            guard let pid = Int32(word) else {
                throw .unparsable(file: file, text: "NSpid:\(value)", reason: "not a list of pids")
            }
            pids.append(pid)
        }
        return pids
    }

    /// Undoes the kernel's escaping of `\n`, `\t` and `\\` in `Name`.
    private static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var result = ""
        var escaped = false
        for character in text {
            switch (escaped, character) {
            case (false, "\\"): escaped = true
            case (true, "n"): result.append("\n"); escaped = false
            case (true, "t"): result.append("\t"); escaped = false
            case (true, _): result.append(character); escaped = false
            case (false, _): result.append(character)
            }
        }
        return result
    }
}

extension ProcFS {
    /// Reads and parses `/proc/PID/status`; ENOENT means the process is gone.
    public func processStatus(_ pid: Int32) throws(HostError) -> ProcessStatus {
        let path = process(pid, "status")
        return try ProcessStatus(parsing: read(path), file: path.string)
    }

    /// This process's own `/proc/self/status`.
    public func currentStatus() throws(HostError) -> ProcessStatus {
        let path = current("status")
        return try ProcessStatus(parsing: read(path), file: path.string)
    }
}
