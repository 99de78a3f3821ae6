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
        fields.reserveCapacity(64)
        // Bytes, not Characters: the kernel writes ASCII, and a memory guard
        // reads this file ten times a second (splitting it Character by
        // Character cost ~200 µs a read).
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            func broken(_ reason: String) -> HostError {
                .unparsable(file: file, text: String(decoding: line, as: UTF8.self), reason: reason)
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw broken("expected 'Name: value [kB]'")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let words = line[line.index(after: colon)...].split(separator: UInt8(ascii: " "))
            guard let first = words.first, let value = UInt64(asciiDecimal: first) else {
                throw broken("value is not a number")
            }
            switch words.dropFirst().first {
            case nil:
                fields[name] = value
            case let unit? where unit.elementsEqual("kB".utf8):
                let (bytes, overflow) = value.multipliedReportingOverflow(by: 1024)
                guard !overflow else {
                    throw broken("size too large")
                }
                fields[name] = bytes
            case let unit?:
                throw broken("unknown unit '\(String(decoding: unit, as: UTF8.self))'")
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
