extension CPUSpec: AttackKindSpec {
    public static let kind = AttackKind.cpu
    public static let defaultDuration: Duration = .seconds(60)
    public static let raisableFloor: PolicyFloor? = nil
    public static let lowersLoadAverageCap = true
    public static let parameterNames: Set<String> = ["load", "cores", "cpus", "mode"]

    /// `load`, `cores` or `cpus`, `mode` as the CLI and the API spell them.
    public init(parameters flat: FlatParameters) throws(InputError) {
        let mode = try flat["mode"].map { text throws(InputError) -> Mode in
            guard let mode = Mode(rawValue: text) else {
                throw .malformed(field: "mode", value: text, expected: "added or total")
            }
            return mode
        } ?? .added
        self.init(
            load: try Percentage(parsing: flat["load"] ?? "100%", field: "load"),
            cores: try Self.cores(flat),
            mode: mode)
    }

    private static func cores(_ flat: FlatParameters) throws(InputError) -> CoreSelection {
        switch (flat["cores"], flat["cpus"]) {
        case (_?, _?):
            throw .rejected(field: "cpus", reason: "give --cores (how many) or --cpus (which), not both")
        case (nil, let list?):
            return .pinned(try CPUList(parsing: list))
        case (let count, nil):
            return try CoreSelection(parsing: count ?? "1")
        }
    }

    public func write(to flat: inout FlatParameters) {
        flat["load"] = load.wireValue
        switch cores {
        case .all, .count: flat["cores"] = cores.description
        case .pinned(let list): flat["cpus"] = list.description
        }
        flat["mode"] = mode.rawValue
    }

    public func validate(host: HostLimits, policy: SafetyPolicy, duration: Duration) throws(InputError) {
        try validate(capacity: host.cpu)
    }

    public func summary(duration: Duration, host: HostLimits) -> String {
        "\(load) \(mode == .total ? "total " : "")on \(workerCount(capacity: host.cpu)) core(s) "
            + "for \(duration.humanReadable) (\(host.cpu.description))"
    }

    public func footprint(host: HostLimits) -> AttackFootprint {
        AttackFootprint(workers: workerCount(capacity: host.cpu), loadPerWorker: load)
    }

    public var parameters: AttackSpec.Parameters { .cpu(self) }
}
