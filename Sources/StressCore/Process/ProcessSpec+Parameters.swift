extension ProcessSpec {
    /// The names kill and pause share.
    static let parameterNames: Set<String> = [
        "name", "match", "pid", "unit", "cgroup", "count", "all", "oldest", "newest", "allow-none", "allow-protected", "seed",
    ]

    /// One selector and one pick.
    init(parameters flat: FlatParameters) throws(InputError) {
        let selectors: [ProcessSelector] = try [
            flat["name"].map { .name($0) },
            flat["match"].map { text throws(InputError) -> ProcessSelector in .match(try CommandLinePattern(text)) },
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
        var picks: [String] = []
        for name in ["all", "oldest", "newest"] where try flat.flag(name) {
            picks.append(name)
        }
        guard picks.count + (flat["count"] == nil ? 0 : 1) <= 1 else {
            throw .rejected(field: "count", reason: "give at most one of --count, --all, --oldest, --newest")
        }
        let pick: Pick
        switch picks.first {
        case "all": pick = .all
        case "oldest": pick = .oldest
        case "newest": pick = .newest
        default:
            let text = flat["count"] ?? "1"
            guard let count = Int(text) else { throw .malformed(field: "count", value: text, expected: "a whole number") }
            pick = .random(count: count)
        }
        self.init(
            selector: selector, pick: pick, allowNone: try flat.flag("allow-none"), allowProtected: try flat.flag("allow-protected"),
            seed: try flat["seed"].map { text throws(InputError) -> UInt64 in
                guard let seed = UInt64(text) else { throw .malformed(field: "seed", value: text, expected: "a whole number") }
                return seed
            })
    }

    func write(to flat: inout FlatParameters) {
        switch selector {
        case .name(let name): flat["name"] = name
        case .match(let pattern): flat["match"] = pattern.source
        case .pid(let pid): flat["pid"] = String(pid)
        case .unit(let unit): flat["unit"] = unit
        case .cgroup(let path): flat["cgroup"] = path
        }
        switch pick {
        case .random(let count): flat["count"] = String(count)
        case .all: flat["all"] = "true"
        case .oldest: flat["oldest"] = "true"
        case .newest: flat["newest"] = "true"
        }
        flat["allow-none"] = allowNone ? "true" : nil
        flat["allow-protected"] = allowProtected ? "true" : nil
        flat["seed"] = seed.map(String.init)
    }
}
