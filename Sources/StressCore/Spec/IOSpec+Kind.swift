extension IOSpec: AttackKindSpec {
    public static let kind = AttackKind.io
    public static let defaultDuration: Duration = .seconds(60)
    /// The working set takes space: the disk floor holds for it as for a fill.
    public static let raisableFloor: PolicyFloor? = .disk
    public static let lowersLoadAverageCap = false
    public static let parameterNames: Set<String> = [
        "path", "read", "block-size", "size", "workers", "pattern", "rate", "iops", "buffered", "max-io-pressure",
    ]

    /// `path`; `read` (the share of reads), `block-size`, `size` (the working
    /// set), `workers`, `pattern`, at most one of `rate` and `iops`,
    /// `buffered`, `max-io-pressure`.
    public init(parameters flat: FlatParameters) throws(InputError) {
        let path = try flat.required("path", kind: .io)
        guard path.hasPrefix("/") else {
            throw .malformed(field: "path", value: path, expected: "an absolute path such as /var/lib/app")
        }
        let pace: Pace
        switch (flat["rate"], flat["iops"]) {
        case (nil, nil): pace = .unlimited
        case (let rate?, nil): pace = .bytesPerSecond(try MemorySpec.parseRate(rate))
        case (nil, let iops?):
            guard let count = Int(decimalDigits: iops) else {
                throw .malformed(field: "iops", value: iops, expected: "a whole number of operations per second, such as 500")
            }
            pace = .operationsPerSecond(count)
        case (_?, _?):
            throw .rejected(field: "iops", reason: "give --rate (bytes per second) or --iops (operations per second), not both")
        }
        let pattern = try flat["pattern"].map { text throws(InputError) -> Pattern in
            guard let pattern = Pattern(rawValue: text) else {
                throw .malformed(field: "pattern", value: text, expected: "random or sequential")
            }
            return pattern
        } ?? .random
        let workers = try flat["workers"].map { text throws(InputError) -> Int in
            guard let count = Int(decimalDigits: text) else {
                throw .malformed(field: "workers", value: text, expected: "a whole number of worker processes, such as 4")
            }
            return count
        } ?? 1
        self.init(
            path: path,
            readShare: try flat["read"].map { text throws(InputError) in try Percentage(parsing: text, field: "read") } ?? Percentage(fraction: 0),
            blockSize: try flat["block-size"].map { text throws(InputError) in try ByteCount(parsing: text, field: "block-size") }
                ?? Self.defaultBlockSize,
            size: try flat["size"].map { text throws(InputError) in try ByteCount(parsing: text, field: "size") } ?? Self.defaultSize,
            workers: workers, pattern: pattern, pace: pace, direct: !(try flat.flag("buffered")),
            maxPressure: try flat["max-io-pressure"].map { text throws(InputError) in try Percentage(parsing: text, field: "max-io-pressure") })
    }

    public func write(to flat: inout FlatParameters) {
        flat["path"] = path
        flat["read"] = readShare.wireValue
        flat["block-size"] = String(blockSize.bytes)
        flat["size"] = String(size.bytes)
        flat["workers"] = String(workers)
        flat["pattern"] = pattern.rawValue
        switch pace {
        case .unlimited: break
        case .bytesPerSecond(let rate): flat["rate"] = "\(rate.bytes)/s"
        case .operationsPerSecond(let iops): flat["iops"] = String(iops)
        }
        flat["buffered"] = direct ? nil : "true"
        flat["max-io-pressure"] = maxPressure?.wireValue
    }

    public func validate(host: HostLimits, policy: SafetyPolicy, duration: Duration) throws(InputError) {
        try validate(disk: host.disk, policy: policy)
    }

    public func summary(duration: Duration, host: HostLimits) -> String {
        let mix: String
        switch readShare.fraction {
        case 0: mix = "writes"
        case 1: mix = "reads"
        default: mix = "reads and writes (\(readShare) reads)"
        }
        let speed: String
        switch pace {
        case .unlimited: speed = "as fast as the device allows"
        case .bytesPerSecond(let rate): speed = "at \(rate)/s"
        case .operationsPerSecond(let iops): speed = "at \(iops) IOPS"
        }
        return "\(pattern.rawValue) \(blockSize) \(mix) over \(ByteCount(bytes: bytesPerWorker * UInt64(workers))) in \(path), "
            + "\(workers) worker(s), \(speed), \(direct ? "direct" : "buffered") I/O, for \(duration.humanReadable)"
    }

    public func footprint(host: HostLimits) -> AttackFootprint {
        AttackFootprint(workers: workers, diskBytes: bytesPerWorker * UInt64(workers), path: path)
    }

    public var parameters: AttackSpec.Parameters { .io(self) }
}
