/// What a kill or pause attack does: which processes, how many of them,
/// and (for kills) with which signal and how often.
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
    /// The signal a kill sends (pause always uses SIGSTOP/SIGCONT).
    public var signal: ProcessSignal
    /// Kill again every interval for the duration (chaos-monkey style); nil: once.
    public var interval: Duration?
    /// A selector that matches nothing is not a failure.
    public var allowNone: Bool
    /// The configurable protected names may be hit.
    public var allowProtected: Bool
    /// Makes random picks repeatable.
    public var seed: UInt64?

    public init(
        selector: ProcessSelector, pick: Pick = .random(count: 1), signal: ProcessSignal = .kill, interval: Duration? = nil,
        allowNone: Bool = false, allowProtected: Bool = false, seed: UInt64? = nil
    ) {
        self.selector = selector
        self.pick = pick
        self.signal = signal
        self.interval = interval
        self.allowNone = allowNone
        self.allowProtected = allowProtected
        self.seed = seed
    }

    func validate(duration: Duration) throws(InputError) {
        try selector.validate()
        try signal.validate()
        if case .random(let count) = pick, count < 1 {
            throw .outOfRange(field: "count", value: String(count), allowed: "at least 1 (or --all)")
        }
        if let interval {
            guard interval >= .milliseconds(100) else {
                throw .outOfRange(field: "interval", value: interval.humanReadable, allowed: "at least 100ms")
            }
            guard interval <= duration else {
                throw .rejected(field: "interval", reason: "the interval \(interval.humanReadable) is longer than the duration \(duration.humanReadable)")
            }
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

/// A signal by name or number: `TERM`, `SIGKILL`, `9`.
///
/// A kill sends signals that end or notify a process, never ones that stop
/// or resume it: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU would leave a victim
/// stopped with nothing recorded to resume it (only a pause records what it
/// stops in the ledger), and SIGCONT would resume what a pause stopped. So
/// 18 to 22 are refused by name and by number and `stressd pause` named.
public struct ProcessSignal: Hashable, Sendable, CustomStringConvertible {
    public let number: Int32

    public static let kill = ProcessSignal(number: 9)
    static let names: [(String, Int32)] = [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("KILL", 9), ("USR1", 10), ("USR2", 12), ("TERM", 15),
    ]
    /// CONT, STOP, TSTP, TTIN, TTOU: the job-control signals (signal(7)).
    static let jobControl: [(String, Int32)] = [("CONT", 18), ("STOP", 19), ("TSTP", 20), ("TTIN", 21), ("TTOU", 22)]

    public init(number: Int32) {
        self.number = number
    }

    public init(parsing text: String) throws(InputError) {
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let number = Int32(name) {
            guard (1...64).contains(number) else {
                throw .outOfRange(field: "signal", value: text, allowed: "1 to 64")
            }
            self.number = number
        } else if let known = (Self.names + Self.jobControl).first(where: { $0.0 == name }) {
            self.number = known.1
        } else {
            throw .malformed(field: "signal", value: text, expected: "TERM, KILL, INT, HUP, QUIT, USR1, USR2 or a number")
        }
        try validate(as: text)
    }

    /// Refuses the job-control signals; `text` is what the user gave.
    func validate(as text: String? = nil) throws(InputError) {
        guard let name = Self.jobControl.first(where: { $0.1 == number })?.0 else { return }
        throw .rejected(
            field: "signal",
            reason: "\(text ?? String(number)) is SIG\(name), which stops or resumes a process instead of ending it; "
                + "a kill never sends 18 to 22 (CONT, STOP, TSTP, TTIN, TTOU): use `stressd pause` to stop processes for a while")
    }

    public var description: String {
        Self.names.first { $0.1 == number }.map { "SIG\($0.0)" } ?? "signal \(number)"
    }
}
