/// Which file a path named when it was opened: device and inode, which a
/// rename keeps and a replacement changes, and its owner. Undo compares a
/// path's identity now with the one recorded, so a folder another user
/// swapped in is refused instead of emptied.
public struct FileIdentity: Codable, Hashable, Sendable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    public var owner: UInt32

    public init(device: UInt64, inode: UInt64, owner: UInt32) {
        self.device = device
        self.inode = inode
        self.owner = owner
    }

    /// Device and inode only: the same file, whoever owns it now.
    public func isSameFile(as other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode
    }

    public var description: String { "device \(device) inode \(inode) owner \(owner)" }
}
