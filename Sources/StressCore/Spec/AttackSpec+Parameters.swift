/// The one place that turns flat parameters into a spec and back; each
/// kind's spec parses and writes its own parameters.
extension AttackSpec {
    /// Builds a spec from the CLI's flags or the API's JSON fields.
    public init(kind: AttackKind, parameters: FlatParameters) throws(InputError) {
        var rest = parameters
        let duration = try Duration.parse(rest.required("duration", kind: kind), field: "duration")
        rest["duration"] = nil
        let labels = try AttackLabels(parsing: rest.remove("labels") ?? "")
        switch kind {
        case .cpu:
            try rest.rejectUnknown(allowed: CPUSpec.parameterNames, kind: kind)
            self.init(.cpu(try CPUSpec(parameters: rest)), duration: duration, labels: labels)
        case .mem:
            try rest.rejectUnknown(allowed: MemorySpec.parameterNames, kind: kind)
            self.init(.mem(try MemorySpec(parameters: rest)), duration: duration, labels: labels)
        case .disk:
            try rest.rejectUnknown(allowed: DiskSpec.parameterNames, kind: kind)
            self.init(.disk(try DiskSpec(parameters: rest)), duration: duration, labels: labels)
        case .kill:
            try rest.rejectUnknown(allowed: ProcessSpec.parameterNames(kill: true), kind: kind)
            self.init(.kill(try ProcessSpec(parameters: rest)), duration: duration, labels: labels)
        case .pause:
            try rest.rejectUnknown(allowed: ProcessSpec.parameterNames(kill: false), kind: kind)
            self.init(.pause(try ProcessSpec(parameters: rest)), duration: duration, labels: labels)
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
