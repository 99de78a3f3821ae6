import StressCore

/// `/proc/<pid>/maps`: the process's memory mappings, one per line.
///
/// Format (proc(5)): `address perms offset dev inode pathname`, e.g.
/// `55d1c0a00000-55d1c2400000 r-xp 00200000 fd:01 1835043  /usr/bin/stressd`.
/// The pathname may hold spaces, is absent for anonymous mappings and ends
/// in ` (deleted)` for a file since removed; the inode and device (hex
/// `major:minor`) say which file it is whatever its name.
/// https://docs.kernel.org/filesystems/proc.html#process-specific-subdirectories
public struct MemoryMapping: Hashable, Sendable {
    public var start: UInt
    public var end: UInt
    /// `r-xp`: read, write, execute, then `p`rivate or `s`hared.
    public var permissions: String
    public var device: DeviceNumber
    public var inode: UInt64
    public var path: String?

    public var length: UInt { end - start }

    /// Every mapping in a maps file's text.
    public static func parse(_ text: String, file: String = "maps") throws(HostError) -> [MemoryMapping] {
        var mappings: [MemoryMapping] = []
        for line in text.split(separator: "\n") {
            guard let mapping = MemoryMapping(line: line) else {
                throw .unparsable(file: file, text: String(line), reason: "expected 'start-end perms offset major:minor inode [path]'")
            }
            mappings.append(mapping)
        }
        return mappings
    }

    init?(line: Substring) {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5 else { return nil }
        let range = fields[0].split(separator: "-")
        let device = fields[3].split(separator: ":")
        guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), start <= end,
              fields[1].count == 4, device.count == 2,
              let major = UInt32(device[0], radix: 16), let minor = UInt32(device[1], radix: 16),
              let inode = UInt64(fields[4])
        else { return nil }
        self.start = start
        self.end = end
        permissions = String(fields[1])
        self.device = DeviceNumber(major: major, minor: minor)
        self.inode = inode
        let path = fields.count > 5 ? fields[5].drop(while: { $0 == " " }) : ""
        self.path = path.isEmpty ? nil : String(path)
    }
}

extension ProcFS {
    /// This process's own mappings.
    public func ownMemoryMaps() throws(HostError) -> [MemoryMapping] {
        let path = current("maps")
        return try MemoryMapping.parse(read(path, limit: 16 << 20), file: path.string)
    }
}
