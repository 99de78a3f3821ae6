extension CPUSpec {
    static let parameterNames: Set<String> = ["load", "cores", "mode"]

    /// `load`, `cores`, `mode` as the CLI and the API spell them.
    init(parameters flat: FlatParameters) throws(InputError) {
        let mode = try flat["mode"].map { text throws(InputError) -> Mode in
            guard let mode = Mode(rawValue: text) else {
                throw .malformed(field: "mode", value: text, expected: "added or total")
            }
            return mode
        } ?? .added
        self.init(
            load: try Percentage(parsing: flat["load"] ?? "100%", field: "load"),
            cores: try CoreSelection(parsing: flat["cores"] ?? "1"),
            mode: mode)
    }

    func write(to flat: inout FlatParameters) {
        flat["load"] = load.wireValue
        flat["cores"] = cores.description
        flat["mode"] = mode.rawValue
    }
}
