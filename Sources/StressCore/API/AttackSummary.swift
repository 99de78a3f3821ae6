import FoundationEssentials

/// One line of `GET /v1/attacks`: what an attack is and how it stands,
/// without its report. A report carries a timeline and every process hit,
/// so a list of full reports grows with each attack the agent keeps (one
/// reached 18 MB, past the client's limit); the summary stays a few hundred
/// bytes, and the whole attack is one `GET /v1/attacks/{id}` away.
public struct AttackSummary: Codable, Sendable {
    public var id: AttackID
    public var kind: AttackKind?
    public var state: AgentAttack.State
    /// Who started it (absent when it has none).
    public var labels: AttackLabels?
    /// What the attack achieves right now (running only).
    public var progress: String?
    /// Seconds until the lease runs out (running attacks with a lease).
    public var leaseSecondsLeft: Double?
    /// When it started and ended, and how (finished only).
    public var startedAt: Date?
    public var endedAt: Date?
    public var outcome: AttackOutcome?
    /// Whether cleanup found nothing left behind (finished only).
    public var cleanupVerified: Bool?
    /// Which cleanup layer undid it (finished and recovered).
    public var undoneBy: CleanupLayer?
    /// What the start-up replay undid (recovered only): small, bounded by
    /// what stressd itself recorded.
    public var undone: UndoResult?

    public init(_ attack: AgentAttack) {
        id = attack.id
        kind = attack.spec?.kind ?? attack.id.kind
        state = attack.state
        labels = attack.spec.map(\.labels).flatMap { $0.isEmpty ? nil : $0 }
        progress = attack.progress
        leaseSecondsLeft = attack.leaseSecondsLeft
        startedAt = attack.report?.startedAt
        endedAt = attack.report?.endedAt
        outcome = attack.report?.outcome
        cleanupVerified = attack.report.map { $0.cleanup.leftovers.isEmpty }
        undone = attack.undone
        undoneBy = attack.report?.cleanup.undoneBy ?? attack.undone?.layer
    }
}
