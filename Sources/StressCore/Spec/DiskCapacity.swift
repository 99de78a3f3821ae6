/// One file system's space, as statvfs(3) reports it. `available` is what
/// unprivileged users can still allocate (f_bavail, what `df` calls Avail);
/// `free` also counts the blocks reserved for root (f_bfree).
public struct DiskCapacity: Hashable, Sendable, Codable {
    public var sizeBytes: UInt64
    public var availableBytes: UInt64
    public var freeBytes: UInt64
    /// Mounted read-only: nothing can be filled.
    public var readOnly: Bool

    public init(sizeBytes: UInt64, availableBytes: UInt64, freeBytes: UInt64, readOnly: Bool = false) {
        self.sizeBytes = sizeBytes
        self.availableBytes = availableBytes
        self.freeBytes = max(freeBytes, availableBytes)
        self.readOnly = readOnly
    }

    /// Bytes in use, as `df` counts them.
    public var usedBytes: UInt64 {
        sizeBytes > freeBytes ? sizeBytes - freeBytes : 0
    }

    /// What a fill may take: Avail, or Free with the reserved blocks.
    public func room(includeReserved: Bool) -> UInt64 {
        includeReserved ? freeBytes : availableBytes
    }

    /// The whole `df`'s Use% is a share of: used + Avail (the reserved
    /// blocks are not counted), or the size with them.
    public func whole(includeReserved: Bool) -> UInt64 {
        includeReserved ? sizeBytes : usedBytes + availableBytes
    }
}
