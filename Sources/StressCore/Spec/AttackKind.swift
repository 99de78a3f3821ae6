/// The faults stressd knows how to inject. Closed on purpose: the CLI, the
/// ledger and (later) the HTTP API all switch over it, so adding a kind makes
/// the compiler point at every place that must learn about it.
public enum AttackKind: String, Codable, CaseIterable, Sendable {
    case cpu
    case mem
    case disk
    case kill
    case pause
}
