/// Which processes a kill or pause reaches and how many of them are hit:
/// the part the two kinds share (`KillSpec`, `PauseSpec`).
public struct ProcessSpec: Hashable, Sendable {
    /// Which of the matching processes are hit.
    public enum Pick: Hashable, Sendable {
        /// This many, chosen at random (seeded with `seed` when given).
        case random(count: Int)
        case all
        case oldest
        case newest
    }

    public var selector: ProcessSelector
    public var pick: Pick
    /// A selector that matches nothing is not a failure.
    public var allowNone: Bool
    /// The configurable protected names may be hit.
    public var allowProtected: Bool
    /// Makes random picks repeatable.
    public var seed: UInt64?

    public init(
        selector: ProcessSelector, pick: Pick = .random(count: 1), allowNone: Bool = false, allowProtected: Bool = false, seed: UInt64? = nil
    ) {
        self.selector = selector
        self.pick = pick
        self.allowNone = allowNone
        self.allowProtected = allowProtected
        self.seed = seed
    }

    func validate() throws(InputError) {
        try selector.validate()
        if case .random(let count) = pick, count < 1 {
            throw .outOfRange(field: "count", value: String(count), allowed: "at least 1 (or --all)")
        }
    }

    /// Chooses the victims among processes that match and may be hit.
    public func pickVictims<Generator: RandomNumberGenerator>(
        from eligible: [ProcessCandidate], using generator: inout Generator
    ) -> [ProcessCandidate] {
        let ordered = eligible.sorted { ($0.startTime, $0.pid) < ($1.startTime, $1.pid) }
        switch pick {
        case .all: return ordered
        case .oldest: return Array(ordered.prefix(1))
        case .newest: return Array(ordered.suffix(1))
        case .random(let count):
            var pool = ordered
            var chosen: [ProcessCandidate] = []
            while chosen.count < count, !pool.isEmpty {
                chosen.append(pool.remove(at: Int.random(in: 0..<pool.count, using: &generator)))
            }
            return chosen
        }
    }
}

extension ProcessSpec.Pick: CustomStringConvertible {
    /// `1 random process`, `every process`: how victims are picked, for people.
    public var description: String {
        switch self {
        case .random(let count): count == 1 ? "1 random process" : "\(count) random processes"
        case .all: "every process"
        case .oldest: "the oldest process"
        case .newest: "the newest process"
        }
    }
}
