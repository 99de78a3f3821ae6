/// The faults stressd knows how to inject. Closed on purpose: the CLI, the
/// ledger and the HTTP API all switch over it, so adding a kind makes the
/// compiler point at every place that must learn about it. What a kind's
/// parameters are is its `specType`.
public enum AttackKind: String, Codable, CaseIterable, Sendable {
    case cpu
    case mem
    case disk
    case kill
    case pause
    case io

    /// How long an attack of this kind lasts when the command line does not
    /// say (the API always asks for a duration).
    public var defaultDuration: Duration { specType.defaultDuration }
}
