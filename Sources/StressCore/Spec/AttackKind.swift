/// The faults stressd knows how to inject. Closed on purpose: the CLI, the
/// ledger and (later) the HTTP API all switch over it, so adding a kind makes
/// the compiler point at every place that must learn about it.
public enum AttackKind: String, Codable, CaseIterable, Sendable {
    case cpu
    case mem
    case disk
    case kill
    case pause

    /// How long an attack of this kind lasts when the command line does not
    /// say (the API always asks for a duration): a kill watches for
    /// comebacks, a pause holds its targets, the others load the host.
    public var defaultDuration: Duration {
        switch self {
        case .kill: .seconds(10)
        case .pause: .seconds(30)
        case .cpu, .mem, .disk: .seconds(60)
        }
    }
}
