/// The one place that turns flat parameters into a spec and back.
extension AttackSpec {
    /// Builds a spec from the CLI's flags or the API's JSON fields.
    public init(kind: AttackKind, parameters: FlatParameters) throws(InputError) {
        var rest = parameters
        let duration = try Duration.parse(rest.required("duration", kind: kind), field: "duration")
        rest["duration"] = nil
        switch kind {
        case .cpu:
            try rest.rejectUnknown(allowed: ["load", "cores", "mode"], kind: kind)
            let mode = try rest["mode"].map { text throws(InputError) -> CPUSpec.Mode in
                guard let mode = CPUSpec.Mode(rawValue: text) else {
                    throw .malformed(field: "mode", value: text, expected: "added or total")
                }
                return mode
            } ?? .added
            self.init(.cpu(CPUSpec(
                load: try Percentage(parsing: rest["load"] ?? "100%", field: "load"),
                cores: try CoreSelection(parsing: rest["cores"] ?? "1"),
                mode: mode)), duration: duration)
        case .mem:
            try rest.rejectUnknown(allowed: ["size", "of", "fill-to", "rate", "lock", "respawn"], kind: kind)
            let amount: MemorySpec.Amount
            switch (rest["size"], rest["fill-to"]) {
            case (let size?, nil):
                let base = try rest["of"].map { text throws(InputError) -> MemorySpec.Base in
                    guard let base = MemorySpec.Base(rawValue: text) else {
                        throw .malformed(field: "of", value: text, expected: "total, available or limit")
                    }
                    return base
                } ?? .limit
                amount = .size(try SizeOrShare(parsing: size, field: "size"), of: base)
            case (nil, let fill?):
                amount = .fillTo(try Percentage(parsing: fill, field: "fill-to"))
            case (nil, nil):
                throw .rejected(field: "size", reason: "a mem attack needs --size (e.g. 2G or 80%) or --fill-to (e.g. 90%)")
            case (_?, _?):
                throw .rejected(field: "fill-to", reason: "give --size or --fill-to, not both")
            }
            let rate = try rest["rate"].map { text throws(InputError) in try Self.parseRate(text) }
            self.init(.mem(MemorySpec(
                amount: amount, ratePerSecond: rate, lock: try rest.flag("lock"), respawn: try rest.flag("respawn"))),
                duration: duration)
        case .disk:
            try rest.rejectUnknown(allowed: ["path", "size", "fill-to", "leave", "include-reserved"], kind: kind)
            let path = try rest.required("path", kind: kind)
            guard path.hasPrefix("/") else {
                throw .malformed(field: "path", value: path, expected: "an absolute path such as /var/lib/app")
            }
            let given = [rest["size"], rest["fill-to"], rest["leave"]].compactMap { $0 }
            guard given.count == 1 else {
                throw .rejected(field: "size", reason: "give exactly one of --size (e.g. 10G), --fill-to (e.g. 95%) or --leave (e.g. 1G)")
            }
            let amount: DiskSpec.Amount
            if let size = rest["size"] {
                amount = .size(try ByteCount(parsing: size, field: "size"))
            } else if let fill = rest["fill-to"] {
                amount = .fillTo(try Percentage(parsing: fill, field: "fill-to"))
            } else {
                amount = .leave(try ByteCount(parsing: rest["leave"] ?? "", field: "leave"))
            }
            self.init(.disk(DiskSpec(path: path, amount: amount, includeReserved: try rest.flag("include-reserved"))), duration: duration)
        case .kill, .pause:
            var allowed: Set<String> = ["name", "match", "pid", "unit", "cgroup", "count", "all", "oldest", "newest",
                                        "allow-none", "allow-protected", "seed"]
            if kind == .kill { allowed.formUnion(["signal", "interval"]) }
            try rest.rejectUnknown(allowed: allowed, kind: kind)
            let process = try Self.processSpec(rest)
            self.init(kind == .kill ? .kill(process) : .pause(process), duration: duration)
        }
    }

    private static func processSpec(_ flat: FlatParameters) throws(InputError) -> ProcessSpec {
        let selectors: [ProcessSelector] = try [
            flat["name"].map { .name($0) },
            flat["match"].map { .match($0) },
            flat["pid"].map { text throws(InputError) -> ProcessSelector in
                guard let pid = Int32(text) else { throw .malformed(field: "pid", value: text, expected: "a process id") }
                return .pid(pid)
            },
            flat["unit"].map { .unit($0) },
            flat["cgroup"].map { .cgroup($0) },
        ].compactMap { $0 }
        guard selectors.count == 1, let selector = selectors.first else {
            throw .rejected(field: "name", reason: "give exactly one of --name, --match, --pid, --unit or --cgroup")
        }
        let picks = ["all", "oldest", "newest"].filter { (try? flat.flag($0)) == true }
        guard picks.count + (flat["count"] == nil ? 0 : 1) <= 1 else {
            throw .rejected(field: "count", reason: "give at most one of --count, --all, --oldest, --newest")
        }
        let pick: ProcessSpec.Pick
        switch picks.first {
        case "all": pick = .all
        case "oldest": pick = .oldest
        case "newest": pick = .newest
        default:
            let text = flat["count"] ?? "1"
            guard let count = Int(text) else { throw .malformed(field: "count", value: text, expected: "a whole number") }
            pick = .random(count: count)
        }
        return ProcessSpec(
            selector: selector, pick: pick,
            signal: try flat["signal"].map { text throws(InputError) in try ProcessSignal(parsing: text) } ?? .kill,
            interval: try flat["interval"].map { text throws(InputError) in try Duration.parse(text, field: "interval") },
            allowNone: try flat.flag("allow-none"), allowProtected: try flat.flag("allow-protected"),
            seed: try flat["seed"].map { text throws(InputError) -> UInt64 in
                guard let seed = UInt64(text) else { throw .malformed(field: "seed", value: text, expected: "a whole number") }
                return seed
            })
    }

    /// `256M/s` or `256M`: bytes per second.
    static func parseRate(_ text: String) throws(InputError) -> ByteCount {
        let body = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        return try ByteCount(parsing: body, field: "rate")
    }

    /// The flat form, as the CLI would spell it.
    public var flatParameters: FlatParameters {
        var flat = FlatParameters(["duration": duration.humanReadable])
        switch parameters {
        case .cpu(let cpu):
            flat["load"] = cpu.load.description
            flat["cores"] = cpu.cores.description
            flat["mode"] = cpu.mode.rawValue
        case .mem(let memory):
            switch memory.amount {
            case .size(let size, let base):
                flat["size"] = size.wireValue
                flat["of"] = base.rawValue
            case .fillTo(let share):
                flat["fill-to"] = share.description
            }
            flat["rate"] = memory.ratePerSecond.map { "\($0.bytes)/s" }
            flat["lock"] = memory.lock ? "true" : nil
            flat["respawn"] = memory.respawn ? "true" : nil
        case .disk(let disk):
            flat["path"] = disk.path
            switch disk.amount {
            case .size(let size): flat["size"] = String(size.bytes)
            case .fillTo(let share): flat["fill-to"] = share.description
            case .leave(let left): flat["leave"] = String(left.bytes)
            }
            flat["include-reserved"] = disk.includeReserved ? "true" : nil
        case .kill(let process), .pause(let process):
            switch process.selector {
            case .name(let name): flat["name"] = name
            case .match(let pattern): flat["match"] = pattern
            case .pid(let pid): flat["pid"] = String(pid)
            case .unit(let unit): flat["unit"] = unit
            case .cgroup(let path): flat["cgroup"] = path
            }
            switch process.pick {
            case .random(let count): flat["count"] = String(count)
            case .all: flat["all"] = "true"
            case .oldest: flat["oldest"] = "true"
            case .newest: flat["newest"] = "true"
            }
            if case .kill = parameters {
                flat["signal"] = String(process.signal.number)
                flat["interval"] = process.interval?.humanReadable
            }
            flat["allow-none"] = process.allowNone ? "true" : nil
            flat["allow-protected"] = process.allowProtected ? "true" : nil
            flat["seed"] = process.seed.map(String.init)
        }
        return flat
    }
}
