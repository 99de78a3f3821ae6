extension ProcessSpec {
    /// The names kill and pause share.
    static let parameterNames: Set<String> = [
        "name", "match", "pid", "unit", "cgroup", "count", "all", "oldest", "newest", "allow-none", "allow-protected", "seed",
    ]

    /// One selector and one pick.
    init(parameters flat: FlatParameters) throws(InputError) {
        let selector = try ProcessSelector(parameters: flat)
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
        selector.write(to: &flat)
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
