/// What a memory attack does: hold an amount of memory resident, or keep the
/// scope's memory in use at a level (`fillTo`), for the attack's duration.
public struct MemorySpec: Hashable, Sendable {
    /// What a percentage `--size` is a share of.
    public enum Base: String, Codable, Hashable, Sendable, CaseIterable {
        /// MemTotal of the host: "80% of the machine", inside a
        /// memory-limited cgroup too (a share above its limit is refused).
        case total
        /// What is available when the attack starts: "80% of what is free".
        case available
        /// The memory the process can really use: the cgroup limit inside a
        /// container, else MemTotal. The default.
        case limit
    }

    public enum Amount: Hashable, Sendable {
        case size(SizeOrShare, of: Base)
        /// Hold the scope's used memory at this share of the limit, growing
        /// and shrinking the hog as other processes change.
        case fillTo(Percentage)
    }

    public var amount: Amount
    /// Bytes per second to ramp up at; nil means as fast as the machine allows.
    public var ratePerSecond: ByteCount?
    /// mlock the memory so it cannot be swapped out.
    public var lock: Bool
    /// Start a new hog if the kernel OOM-kills one, within the time box.
    public var respawn: Bool

    public init(amount: Amount, ratePerSecond: ByteCount? = nil, lock: Bool = false, respawn: Bool = false) {
        self.amount = amount
        self.ratePerSecond = ratePerSecond
        self.lock = lock
        self.respawn = respawn
    }

    /// The bytes a fixed-size attack holds. For `fillTo`, what it would hold
    /// now if nothing else changed.
    public func targetBytes(_ memory: MemoryCapacity, hogBytes: UInt64 = 0) -> UInt64 {
        switch amount {
        case .size(let size, let base):
            switch base {
            case .total: return size.bytes(of: memory.hostTotalBytes)
            case .limit: return size.bytes(of: memory.limit)
            case .available: return size.bytes(of: memory.available + hogBytes)
            }
        case .fillTo(let share):
            let others = memory.used > hogBytes ? memory.used - hogBytes : 0
            let wanted = UInt64(Double(memory.limit) * share.fraction)
            return wanted > others ? wanted - others : 0
        }
    }

    func validate(memory: MemoryCapacity, policy: SafetyPolicy) throws(InputError) {
        if let rate = ratePerSecond, rate.bytes == 0 {
            throw .outOfRange(field: "rate", value: rate.description, allowed: "more than 0 bytes per second")
        }
        let floor = policy.memoryFloorBytes(limit: memory.limit)
        switch amount {
        case .size(let size, let base):
            let target = targetBytes(memory)
            guard target > 0 else {
                throw .outOfRange(field: "size", value: size.description, allowed: "more than 0 bytes")
            }
            if base == .total, target > memory.limit {
                throw .rejected(field: "size", reason: """
                    \(size) of MemTotal is \(ByteCount(bytes: target)), more than the cgroup memory limit of \
                    \(ByteCount(bytes: memory.limit)) stressd runs under; lower --size, or give a share of that limit (--of limit)
                    """)
            }
            let leaves = memory.available > target ? memory.available - target : 0
            guard leaves >= floor else {
                throw .rejected(field: "size", reason: """
                    \(ByteCount(bytes: target)) would leave \(ByteCount(bytes: leaves)) available, \
                    \(ByteCount(bytes: floor - leaves)) below the memory floor of \(ByteCount(bytes: floor)) \
                    (\(ByteCount(bytes: memory.available)) available now); lower --size or the floor (--floor)
                    """)
            }
        case .fillTo(let share):
            guard share.fraction > 0, share.fraction <= 1 else {
                throw .outOfRange(field: "fill-to", value: share.description, allowed: "from 1% to 100%")
            }
            let leaves = memory.limit - UInt64(Double(memory.limit) * share.fraction)
            guard leaves >= floor else {
                throw .rejected(field: "fill-to", reason: """
                    \(share) of \(ByteCount(bytes: memory.limit)) would leave \(ByteCount(bytes: leaves)), \
                    \(ByteCount(bytes: floor - leaves)) below the memory floor of \(ByteCount(bytes: floor)); \
                    lower --fill-to or the floor (--floor)
                    """)
            }
        }
    }
}
