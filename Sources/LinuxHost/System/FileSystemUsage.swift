import Glibc
import SystemPackage

/// Size and free space of the file system that holds a path, from statvfs(3).
/// Two "free" numbers, because ext4 keeps blocks reserved for root: a disk
/// fill run as root can eat into them, an unprivileged one cannot.
public struct FileSystemUsage: Hashable, Sendable {
    public var sizeBytes: UInt64
    /// Free for unprivileged users (`f_bavail`): what `df` shows as Avail.
    public var availableBytes: UInt64
    /// Free including the root-reserved blocks (`f_bfree`).
    public var freeBytes: UInt64

    /// From statvfs fields; every count is in units of `fragmentSize` (`f_frsize`).
    public init(fragmentSize: UInt64, blocks: UInt64, freeBlocks: UInt64, availableBlocks: UInt64) {
        func bytes(_ count: UInt64) -> UInt64 {
            let (product, overflow) = count.multipliedReportingOverflow(by: fragmentSize)
            return overflow ? .max : product
        }
        self.sizeBytes = bytes(blocks)
        self.freeBytes = bytes(freeBlocks)
        self.availableBytes = bytes(availableBlocks)
    }

    /// Asks the kernel about the file system holding `path`.
    public init(path: FilePath) throws(HostError) {
        var info = statvfs()
        guard statvfs(path.string, &info) == 0 else {
            throw .system(call: "statvfs", path: path.string, errno: Errno(rawValue: Glibc.errno))
        }
        self.init(
            fragmentSize: UInt64(info.f_frsize), blocks: UInt64(info.f_blocks),
            freeBlocks: UInt64(info.f_bfree), availableBlocks: UInt64(info.f_bavail)
        )
    }
}
