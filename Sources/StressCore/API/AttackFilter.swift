/// Which attacks a list or a halt is about: those in `state` (any when nil)
/// carrying every label of `labels` (any when empty). An empty filter is
/// every attack; a halt is scoped only by what the filter names, so a
/// caller that sets labels never stops an attack without them.
public struct AttackFilter: Hashable, Sendable {
    public var state: AgentAttack.State?
    public var labels: AttackLabels

    public init(state: AgentAttack.State? = nil, labels: AttackLabels = AttackLabels()) {
        self.state = state
        self.labels = labels
    }

    public func matches(state: AgentAttack.State, labels attackLabels: AttackLabels) -> Bool {
        (self.state == nil || self.state == state) && attackLabels.contains(labels)
    }

    public func matches(_ attack: AttackSummary) -> Bool {
        matches(state: attack.state, labels: attack.labels ?? AttackLabels())
    }
}
