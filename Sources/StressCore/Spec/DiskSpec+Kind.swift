extension DiskSpec: AttackKindSpec {
    public static let kind = AttackKind.disk
    public static let defaultDuration: Duration = .seconds(60)
    public static let raisableFloor: PolicyFloor? = .disk
    public static let lowersLoadAverageCap = false
    public static let parameterNames: Set<String> = ["path", "size", "fill-to", "leave", "include-reserved"]

    /// `path` and exactly one of `size`, `fill-to`, `leave`; `include-reserved`.
    public init(parameters flat: FlatParameters) throws(InputError) {
        let path = try flat.required("path", kind: .disk)
        guard path.hasPrefix("/") else {
            throw .malformed(field: "path", value: path, expected: "an absolute path such as /var/lib/app")
        }
        let amount: Amount
        switch (flat["size"], flat["fill-to"], flat["leave"]) {
        case (let size?, nil, nil): amount = .size(try ByteCount(parsing: size, field: "size"))
        case (nil, let fill?, nil): amount = .fillTo(try Percentage(parsing: fill, field: "fill-to"))
        case (nil, nil, let left?): amount = .leave(try SizeOrShare(parsing: left, field: "leave"))
        default:
            throw .rejected(field: "size", reason: "give exactly one of --size (e.g. 10G), --fill-to (e.g. 95%) or --leave (e.g. 1G or 5%)")
        }
        self.init(path: path, amount: amount, includeReserved: try flat.flag("include-reserved"))
    }

    public func write(to flat: inout FlatParameters) {
        flat["path"] = path
        switch amount {
        case .size(let size): flat["size"] = String(size.bytes)
        case .fillTo(let share): flat["fill-to"] = share.wireValue
        case .leave(let left): flat["leave"] = left.wireValue
        }
        flat["include-reserved"] = includeReserved ? "true" : nil
    }

    public func validate(host: HostLimits, policy: SafetyPolicy, duration: Duration) throws(InputError) {
        try validate(disk: host.disk, policy: policy)
    }

    public func summary(duration: Duration, host: HostLimits) -> String {
        let free = host.disk.map { " (\(ByteCount(bytes: $0.availableBytes)) free of \(ByteCount(bytes: $0.sizeBytes)))" } ?? ""
        let target = host.disk.map { ByteCount(bytes: targetBytes($0)).description } ?? "?"
        return "fill \(target) in \(path)\(free) for \(duration.humanReadable)"
    }

    /// The supervisor fills the folder itself: no worker.
    public func footprint(host: HostLimits) -> AttackFootprint {
        AttackFootprint(workers: 0, diskBytes: host.disk.map(targetBytes), path: path)
    }

    public var parameters: AttackSpec.Parameters { .disk(self) }
}
