/// What a kill or pause attack did to which processes, and how the system
/// answered: for kills, when a process matching the same selector came back
/// (the restart time is often the number the experiment is about).
///
/// The lists are capped: an interval kill of every match for an hour, or a
/// respawning process, would otherwise grow the attack's memory, its report
/// and every `GET /v1/attacks` without bound. What is past a cap is
/// counted, so the report still says how much happened.
public struct ProcessMeasurements: Codable, Hashable, Sendable {
    /// At most this many hits, and as many comebacks, are listed.
    public static let listLimit = 1_000
    /// At most this many spared processes are listed.
    public static let sparedLimit = 100

    public var hits: [ProcessHit]
    public var comebacks: [ProcessComeback]
    /// Matching processes left alone because they may not be hit, with why.
    public var spared: [String]
    /// Hits past `listLimit`: sent (or found gone) but not listed. Nil: none.
    public var unlistedHits: Int?
    /// Comebacks past `listLimit`. Nil: none.
    public var unlistedComebacks: Int?
    /// Spared processes past `sparedLimit`. Nil: none.
    public var unlistedSpared: Int?

    public init(hits: [ProcessHit] = [], comebacks: [ProcessComeback] = [], spared: [String] = []) {
        self.hits = []
        self.comebacks = []
        self.spared = []
        hits.forEach { record($0) }
        comebacks.forEach { record($0) }
        spared.forEach { recordSpared($0) }
    }

    public mutating func record(_ hit: ProcessHit) {
        guard hits.count < Self.listLimit else {
            unlistedHits = (unlistedHits ?? 0) + 1
            return
        }
        hits.append(hit)
    }

    public mutating func record(_ comeback: ProcessComeback) {
        guard comebacks.count < Self.listLimit else {
            unlistedComebacks = (unlistedComebacks ?? 0) + 1
            return
        }
        comebacks.append(comeback)
    }

    public mutating func recordSpared(_ description: String) {
        guard spared.count < Self.sparedLimit else {
            unlistedSpared = (unlistedSpared ?? 0) + 1
            return
        }
        spared.append(description)
    }

    /// Every hit, listed or not.
    public var hitCount: Int { hits.count + (unlistedHits ?? 0) }
}

/// One signal sent to one process.
public struct ProcessHit: Codable, Hashable, Sendable {
    /// Seconds since the attack started.
    public var elapsed: Double
    public var process: ProcessCandidate
    /// `SIGKILL`, `SIGSTOP`, `SIGCONT`…
    public var signal: String
    /// Whether the process was still the recorded one and the signal went out.
    public var delivered: Bool

    public init(elapsed: Double, process: ProcessCandidate, signal: String, delivered: Bool) {
        self.elapsed = elapsed
        self.process = process
        self.signal = signal
        self.delivered = delivered
    }
}

/// A new process matching the selector appeared after a kill.
public struct ProcessComeback: Codable, Hashable, Sendable {
    public var killedPID: Int32
    public var newPID: Int32
    /// Seconds from the kill to the new process being seen.
    public var secondsAfterKill: Double

    public init(killedPID: Int32, newPID: Int32, secondsAfterKill: Double) {
        self.killedPID = killedPID
        self.newPID = newPID
        self.secondsAfterKill = secondsAfterKill
    }
}
