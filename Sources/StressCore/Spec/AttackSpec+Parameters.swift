/// The one place that turns flat parameters into a spec and back; each
/// kind's spec parses and writes its own parameters.
extension AttackSpec {
    /// Builds a spec from the CLI's flags or the API's JSON fields.
    public init(kind: AttackKind, parameters: FlatParameters) throws(InputError) {
        var rest = parameters
        let duration = try Duration.parse(rest.required("duration", kind: kind), field: "duration")
        rest["duration"] = nil
        let labels = try AttackLabels(parsing: rest.remove("labels") ?? "")
        try rest.rejectUnknown(allowed: Self.parameterNames(of: kind), kind: kind)
        switch kind {
        case .cpu: self.init(.cpu(try CPUSpec(parameters: rest)), duration: duration, labels: labels)
        case .mem: self.init(.mem(try MemorySpec(parameters: rest)), duration: duration, labels: labels)
        case .disk: self.init(.disk(try DiskSpec(parameters: rest)), duration: duration, labels: labels)
        case .kill: self.init(.kill(try ProcessSpec(parameters: rest)), duration: duration, labels: labels)
        case .pause: self.init(.pause(try ProcessSpec(parameters: rest)), duration: duration, labels: labels)
        }
    }

    /// The names a kind's own parameters go by (`load`, `size`, `path`...),
    /// beside `duration` and `labels`, which every kind takes.
    public static func parameterNames(of kind: AttackKind) -> Set<String> {
        switch kind {
        case .cpu: CPUSpec.parameterNames
        case .mem: MemorySpec.parameterNames
        case .disk: DiskSpec.parameterNames
        case .kill: ProcessSpec.parameterNames(kill: true)
        case .pause: ProcessSpec.parameterNames(kill: false)
        }
    }

    /// The flat form, as the CLI would spell it.
    public var flatParameters: FlatParameters {
        var flat = FlatParameters(["duration": duration.humanReadable])
        if !labels.isEmpty { flat["labels"] = labels.description }
        switch parameters {
        case .cpu(let cpu): cpu.write(to: &flat)
        case .mem(let memory): memory.write(to: &flat)
        case .disk(let disk): disk.write(to: &flat)
        case .kill(let process): process.write(to: &flat, isKill: true)
        case .pause(let process): process.write(to: &flat, isKill: false)
        }
        return flat
    }
}
