import Glibc
import StressCore
import SystemPackage

/// statvfs(3) readings are `DiskCapacity` values: one type for `stressd
/// host`, disk attacks and their guards.
public typealias FileSystemUsage = DiskCapacity

extension DiskCapacity {
    /// From statvfs fields; every count is in units of `fragmentSize` (`f_frsize`).
    /// ext4 keeps blocks reserved for root, hence two "free" numbers: a fill
    /// run as root could eat into them, an unprivileged one cannot.
    public init(fragmentSize: UInt64, blocks: UInt64, freeBlocks: UInt64, availableBlocks: UInt64, readOnly: Bool = false) {
        func bytes(_ count: UInt64) -> UInt64 {
            let (product, overflow) = count.multipliedReportingOverflow(by: fragmentSize)
            return overflow ? .max : product
        }
        self.init(sizeBytes: bytes(blocks), availableBytes: bytes(availableBlocks), freeBytes: bytes(freeBlocks), readOnly: readOnly)
    }

    /// Asks the kernel about the file system holding `path`.
    public init(path: FilePath) throws(HostError) {
        var info = statvfs()
        guard statvfs(path.string, &info) == 0 else {
            throw .system(call: "statvfs", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        self.init(info)
    }

    /// From what statvfs(3) or fstatvfs(3) filled in.
    init(_ info: statvfs) {
        self.init(
            fragmentSize: UInt64(info.f_frsize), blocks: UInt64(info.f_blocks),
            freeBlocks: UInt64(info.f_bfree), availableBlocks: UInt64(info.f_bavail),
            readOnly: info.f_flag & UInt(ST_RDONLY) != 0
        )
    }
}
