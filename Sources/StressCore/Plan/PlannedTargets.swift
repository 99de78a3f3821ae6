/// The processes a kill or pause would choose among, and those it would spare.
public struct PlannedTargets: Codable, Hashable, Sendable {
    public struct Spared: Codable, Hashable, Sendable {
        public var process: ProcessCandidate
        public var reason: String

        public init(process: ProcessCandidate, reason: String) {
            self.process = process
            self.reason = reason
        }
    }

    public var selector: String
    /// How victims would be picked among `eligible`.
    public var pick: String
    public var eligible: [ProcessCandidate]
    public var spared: [Spared]

    public init(selector: String, pick: String, eligible: [ProcessCandidate], spared: [Spared]) {
        self.selector = selector
        self.pick = pick
        self.eligible = eligible
        self.spared = spared
    }
}
