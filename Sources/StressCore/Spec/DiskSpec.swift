/// What a disk attack does: fill a file system with files in a folder of
/// its own, `PATH/.stressd-fill-ID/`, for the attack's duration.
public struct DiskSpec: Hashable, Sendable {
    public enum Amount: Hashable, Sendable {
        /// Write this many bytes.
        case size(ByteCount)
        /// Fill until the file system is this full, as `df`'s Use% counts.
        case fillTo(Percentage)
        /// Fill until only this much is left: a size, or a share of the
        /// whole `df`'s Use% is a share of (leaving 10% fills as `fillTo(90%)`).
        case leave(SizeOrShare)
    }

    /// A directory on the file system to fill.
    public var path: String
    public var amount: Amount
    /// Also take the blocks reserved for root (f_bfree instead of f_bavail).
    public var includeReserved: Bool

    public init(path: String, amount: Amount, includeReserved: Bool = false) {
        self.path = path
        self.amount = amount
        self.includeReserved = includeReserved
    }

    /// Bytes to write, given the file system as it is now (0 if already there).
    public func targetBytes(_ disk: DiskCapacity) -> UInt64 {
        let room = disk.room(includeReserved: includeReserved)
        let wanted: UInt64
        switch amount {
        case .size(let size):
            wanted = size.bytes
        case .fillTo(let share):
            let usedAfter = UInt64(Double(disk.whole(includeReserved: includeReserved)) * share.fraction)
            wanted = usedAfter > disk.usedBytes ? usedAfter - disk.usedBytes : 0
        case .leave(let left):
            let leftBytes = left.bytes(of: disk.whole(includeReserved: includeReserved))
            wanted = room > leftBytes ? room - leftBytes : 0
        }
        return min(wanted, room)
    }

    func validate(disk: DiskCapacity?, policy: SafetyPolicy) throws(InputError) {
        let disk = try DiskCapacity.writable(disk, path: path)
        if case .fillTo(let share) = amount, share.fraction <= 0 || share.fraction > 1 {
            throw .outOfRange(field: "fill-to", value: share.description, allowed: "from 1% to 100%")
        }
        if case .size(let size) = amount, size.bytes == 0 {
            throw .outOfRange(field: "size", value: size.description, allowed: "more than 0 bytes")
        }
        guard targetBytes(disk) > 0 else {
            throw .rejected(field: amountField, reason: "nothing to fill: \(alreadyThere(disk))")
        }
        let target = targetBytes(disk)
        if case .size(let size) = amount, size.bytes > disk.room(includeReserved: includeReserved) {
            throw .rejected(field: "size", reason: """
                \(size) is more than the \(ByteCount(bytes: disk.room(includeReserved: includeReserved))) free on \(path); \
                use --fill-to or --leave to fill it up
                """)
        }
        let floor = policy.diskFloorBytes(size: disk.sizeBytes)
        let leaves = disk.availableBytes > target ? disk.availableBytes - target : 0
        guard leaves >= floor else {
            throw .rejected(field: amountField, reason: """
                filling \(ByteCount(bytes: target)) would leave \(ByteCount(bytes: leaves)) free on \(path), \
                \(ByteCount(bytes: floor - leaves)) below the disk floor of \(ByteCount(bytes: floor)); \
                fill less or lower the floor (--floor)
                """)
        }
    }

    /// Why a file system needs no filling for this amount, in df's terms.
    private func alreadyThere(_ disk: DiskCapacity) -> String {
        let room = ByteCount(bytes: disk.room(includeReserved: includeReserved))
        switch amount {
        case .size:
            return "\(path) has no free space left (\(room) free of \(ByteCount(bytes: disk.sizeBytes)))"
        case .fillTo(let share):
            let whole = disk.whole(includeReserved: includeReserved)
            let used = whole > 0 ? Double(disk.usedBytes) / Double(whole) : 1
            return "\(path) is already \(used.percent(0)) full (df's Use%), at or above --fill-to \(share)"
        case .leave(let left):
            return "\(path) has only \(room) free, no more than --leave \(left) would leave"
        }
    }

    private var amountField: String {
        switch amount {
        case .size: return "size"
        case .fillTo: return "fill-to"
        case .leave: return "leave"
        }
    }
}
