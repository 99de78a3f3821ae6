/// What a kill or pause attack did to which processes, and how the system
/// answered: for kills, when a process matching the same selector came back
/// (the restart time is often the number the experiment is about).
public struct ProcessMeasurements: Codable, Hashable, Sendable {
    public var hits: [ProcessHit]
    public var comebacks: [ProcessComeback]
    /// Matching processes left alone because they are protected, with why.
    public var spared: [String]

    public init(hits: [ProcessHit], comebacks: [ProcessComeback], spared: [String]) {
        self.hits = hits
        self.comebacks = comebacks
        self.spared = spared
    }
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
