import FoundationEssentials
import Glibc
import LinuxHost
import StressCore

/// Stops the chosen processes with SIGSTOP and resumes them with SIGCONT at
/// the deadline. Each is recorded in the ledger before it is stopped, so a
/// crashed supervisor's pause is resumed by the next replay: a paused
/// process is never left paused.
struct PauseDriver: AttackDriver {
    let spec: PauseSpec
    let targeting: ProcessTargeting
    let cgroupController: String? = nil
    let holdsStateOutsideWorkers = true
    let sampleInterval: Duration = .seconds(1)

    private var generator: any RandomNumberGenerator
    private var paused: [ProcessCandidate] = []
    private var hits: [ProcessHit] = []
    private var spared: [String] = []

    init(spec: PauseSpec, procFS: ProcFS) {
        self.spec = spec
        targeting = ProcessTargeting(spec: spec.targets, procFS: procFS)
        generator = spec.targets.seed.map { SeededGenerator(seed: $0) as any RandomNumberGenerator } ?? SystemRandomNumberGenerator()
    }

    mutating func start(_ session: AttackSession) async throws(AgentError) {
        let survey = try await targeting.surveyOnOwnThread()
        spared = survey.spared.map { "pid \($0.0.pid) (\($0.0.command)): \($0.1)" }
        let victims = spec.targets.pickVictims(from: survey.eligible, using: &generator)
        try session.update { $0.stoppedProcesses.append(contentsOf: victims.map(\.identity)) }
        for victim in victims {
            let delivery = (try? ProcessHandle.send(SIGSTOP, to: victim.identity, procFS: targeting.procFS)) ?? .gone
            hits.append(ProcessHit(elapsed: session.elapsed, process: victim, signal: "SIGSTOP", delivered: delivery == .delivered))
            if delivery == .delivered { paused.append(victim) }
        }
    }

    mutating func tick(_ session: AttackSession) async -> DriverTick {
        let stillStopped = paused.filter { (try? targeting.procFS.processStat($0.pid))?.state == "T" }.count
        return DriverTick(
            outcome: nil, progress: "\(stillStopped) of \(paused.count) process(es) paused",
            level: AttackLevel(unit: "processes", requested: nil, achieved: Double(stillStopped)))
    }

    /// Resumes every paused process that is still the one paused. The undo
    /// that follows sends SIGCONT to every recorded one again: harmless, and
    /// the same path a replay after a crash takes.
    mutating func stop(_ session: AttackSession) {
        for victim in paused {
            let delivery = (try? ProcessHandle.send(SIGCONT, to: victim.identity, procFS: targeting.procFS)) ?? .gone
            hits.append(ProcessHit(elapsed: session.elapsed, process: victim, signal: "SIGCONT", delivered: delivery == .delivered))
        }
    }

    func measurements(into report: inout AttackReport) {
        report.processes = ProcessMeasurements(hits: hits, comebacks: [], spared: spared)
    }
}
