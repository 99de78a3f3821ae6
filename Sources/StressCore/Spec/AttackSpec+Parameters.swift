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
        self.init(try kind.specType.init(parameters: rest).parameters, duration: duration, labels: labels)
    }

    /// The names a kind's own parameters go by (`load`, `size`, `path`...),
    /// beside `duration` and `labels`, which every kind takes.
    public static func parameterNames(of kind: AttackKind) -> Set<String> {
        kind.specType.parameterNames
    }

    /// The flat form, as the CLI would spell it.
    public var flatParameters: FlatParameters {
        var flat = FlatParameters(["duration": duration.humanReadable])
        if !labels.isEmpty { flat["labels"] = labels.description }
        parameters.kindSpec.write(to: &flat)
        return flat
    }
}
