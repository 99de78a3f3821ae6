extension CPUSpec {
    static let parameterNames: Set<String> = ["load", "cores", "cpus", "mode"]

    /// `load`, `cores` or `cpus`, `mode` as the CLI and the API spell them.
    init(parameters flat: FlatParameters) throws(InputError) {
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

    func write(to flat: inout FlatParameters) {
        flat["load"] = load.wireValue
        switch cores {
        case .all, .count: flat["cores"] = cores.description
        case .pinned(let list): flat["cpus"] = list.description
        }
        flat["mode"] = mode.rawValue
    }
}
