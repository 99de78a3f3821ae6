extension MemorySpec: AttackKindSpec {
    public static let kind = AttackKind.mem
    public static let defaultDuration: Duration = .seconds(60)
    public static let raisableFloor: PolicyFloor? = .memory
    public static let lowersLoadAverageCap = false
    public static let parameterNames: Set<String> = ["size", "of", "fill-to", "rate", "lock", "respawn"]

    /// `size` (with `of` when it is a percentage) or `fill-to`, and `rate`,
    /// `lock`, `respawn`. `of` where it would be ignored is refused.
    public init(parameters flat: FlatParameters) throws(InputError) {
        let amount: Amount
        switch (flat["size"], flat["fill-to"]) {
        case (let size?, nil):
            let base = try flat["of"].map { text throws(InputError) -> Base in
                guard let base = Base(rawValue: text) else {
                    throw .malformed(field: "of", value: text, expected: "total, available or limit")
                }
                return base
            } ?? .limit
            let amountOfSize = try SizeOrShare(parsing: size, field: "size")
            if case .bytes = amountOfSize, flat["of"] != nil {
                throw .rejected(field: "of", reason: "--of says what a percentage --size is of; \(size) is an amount already, so drop --of")
            }
            amount = .size(amountOfSize, of: base)
        case (nil, let fill?):
            guard flat["of"] == nil else {
                throw .rejected(field: "of", reason: "--of says what a percentage --size is of; --fill-to is always a share of the limit, so drop --of")
            }
            amount = .fillTo(try Percentage(parsing: fill, field: "fill-to"))
        case (nil, nil):
            throw .rejected(field: "size", reason: "a mem attack needs --size (e.g. 2G or 80%) or --fill-to (e.g. 90%)")
        case (_?, _?):
            throw .rejected(field: "fill-to", reason: "give --size or --fill-to, not both")
        }
        self.init(
            amount: amount, ratePerSecond: try flat["rate"].map { text throws(InputError) in try Self.parseRate(text) },
            lock: try flat.flag("lock"), respawn: try flat.flag("respawn"))
    }

    /// `256M/s` or `256M`: bytes per second.
    static func parseRate(_ text: String) throws(InputError) -> ByteCount {
        let body = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        return try ByteCount(parsing: body, field: "rate")
    }

    public func write(to flat: inout FlatParameters) {
        switch amount {
        case .size(let size, let base):
            flat["size"] = size.wireValue
            if case .share = size { flat["of"] = base.rawValue }
        case .fillTo(let share):
            flat["fill-to"] = share.wireValue
        }
        flat["rate"] = ratePerSecond.map { "\($0.bytes)/s" }
        flat["lock"] = lock ? "true" : nil
        flat["respawn"] = respawn ? "true" : nil
    }

    public func validate(host: HostLimits, policy: SafetyPolicy, duration: Duration) throws(InputError) {
        try validate(memory: host.memory, policy: policy)
    }

    public func summary(duration: Duration, host: HostLimits) -> String {
        let what: String
        switch amount {
        case .size(let size, let base):
            let target = ByteCount(bytes: targetBytes(host.memory))
            if case .share = size { what = "hold \(target) (\(size) of \(base.rawValue))" } else { what = "hold \(target)" }
        case .fillTo(let share):
            what = "hold memory in use at \(share) of \(ByteCount(bytes: host.memory.limit))"
        }
        return "\(what) for \(duration.humanReadable) (\(ByteCount(bytes: host.memory.available)) available)"
    }

    public func footprint(host: HostLimits) -> AttackFootprint {
        AttackFootprint(workers: 1, memoryBytes: targetBytes(host.memory))
    }

    public var parameters: AttackSpec.Parameters { .mem(self) }
}
