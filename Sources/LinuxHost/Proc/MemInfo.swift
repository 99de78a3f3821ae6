/// `/proc/meminfo`: the kernel's memory accounting for the whole host.
///
/// Format (proc(5)): one `Name:   value [kB]` line per field, e.g.
/// `MemAvailable:   24193340 kB`. Names may hold parentheses
/// (`Active(anon)`); sizes are in KiB although the kernel writes `kB`;
/// `HugePages_*` lines are plain counts without a unit. Fields come and go
/// between kernel versions, so every field is kept, and only the four this
/// agent decides on are required.
/// https://docs.kernel.org/filesystems/proc.html#meminfo
public struct MemInfo: Hashable, Sendable {
    /// Every field: sizes converted to bytes, counts (`HugePages_Total`) as written.
    public var fields: [String: UInt64]
    public var totalBytes: UInt64
    /// The kernel's estimate of memory that can be given to new work without
    /// swapping: the number memory guards and `--size 80%` rely on.
    public var availableBytes: UInt64
    public var swapTotalBytes: UInt64
    public var swapFreeBytes: UInt64

    public init(parsing text: String, file: String = "meminfo") throws(HostError) {
        var fields: [String: UInt64] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else {
                throw .unparsable(file: file, text: String(line), reason: "expected 'Name: value [kB]'")
            }
            let name = String(line[..<colon])
            let words = line[line.index(after: colon)...].split(separator: " ", omittingEmptySubsequences: true)
            guard let first = words.first, let value = UInt64(first) else {
                throw .unparsable(file: file, text: String(line), reason: "value is not a number")
            }
            switch words.dropFirst().first {
            case nil:
                fields[name] = value
            case "kB":
                let (bytes, overflow) = value.multipliedReportingOverflow(by: 1024)
                guard !overflow else {
                    throw .unparsable(file: file, text: String(line), reason: "size too large")
                }
                fields[name] = bytes
            case let unit?:
                throw .unparsable(file: file, text: String(line), reason: "unknown unit '\(unit)'")
            }
        }
        func required(_ name: String) throws(HostError) -> UInt64 {
            guard let value = fields[name] else {
                let reason = name == "MemAvailable" ? "no MemAvailable (kernel older than 3.14?)" : "no \(name)"
                throw .unparsable(file: file, text: text, reason: reason)
            }
            return value
        }
        self.totalBytes = try required("MemTotal")
        self.availableBytes = try required("MemAvailable")
        self.swapTotalBytes = try required("SwapTotal")
        self.swapFreeBytes = try required("SwapFree")
        self.fields = fields
    }
}

extension ProcFS {
    public func memInfo() throws(HostError) -> MemInfo {
        let path = file("meminfo")
        return try MemInfo(parsing: read(path), file: path.string)
    }
}
