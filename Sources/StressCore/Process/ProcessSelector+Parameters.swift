/// A selector read from and written to flat parameters, the same for kill,
/// pause and the `process` abort condition: exactly one of `name`, `match`,
/// `pid`, `unit` and `cgroup`.
extension ProcessSelector {
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
        self = selector
    }

    func write(to flat: inout FlatParameters) {
        switch self {
        case .name(let name): flat["name"] = name
        case .match(let pattern): flat["match"] = pattern.source
        case .pid(let pid): flat["pid"] = String(pid)
        case .unit(let unit): flat["unit"] = unit
        case .cgroup(let path): flat["cgroup"] = path
        }
    }
}
