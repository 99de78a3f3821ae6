import FoundationEssentials
import Glibc
import LinuxHost
import StressCore

/// Sends a signal to the chosen processes, once or every interval, and
/// watches for a process matching the same selector to come back: the
/// restart time is often what the experiment measures. A one-shot kill ends
/// as soon as every killed process has come back.
struct KillDriver: AttackDriver {
    let spec: KillSpec
    let targeting: ProcessTargeting
    let cgroupController: String? = nil
    let sampleInterval: Duration = .milliseconds(100)

    private var generator: any RandomNumberGenerator
    /// Hits and comebacks, capped as the report lists them: an interval
    /// kill runs for up to the maximum duration.
    private var record = ProcessMeasurements()
    private var delivered = 0
    private var latestComeback: ProcessComeback?
    private var spared: Set<String> = []
    /// Kills not yet answered by a comeback: what matched at that moment,
    /// so any matching process not among them is new.
    private var awaiting: [(killed: ProcessCandidate, at: Double, known: Set<ProcessIdentity>)] = []
    private var nextRound: Double = 0
    private var rounds = 0

    init(spec: KillSpec, procFS: ProcFS) {
        self.spec = spec
        targeting = ProcessTargeting(spec: spec.targets, procFS: procFS)
        generator = spec.targets.seed.map { SeededGenerator(seed: $0) as any RandomNumberGenerator } ?? SystemRandomNumberGenerator()
    }

    mutating func start(_ session: AttackSession) async throws(AgentError) {
        try await strike(session)
    }

    /// One round: survey, pick, signal each victim if it is still the
    /// process that was picked.
    private mutating func strike(_ session: AttackSession) async throws(AgentError) {
        rounds += 1
        let survey = try await targeting.surveyOnOwnThread()
        spared.formUnion(survey.spared.map { "pid \($0.0.pid) (\($0.0.command)): \($0.1)" })
        let known = Set((survey.eligible + survey.spared.map(\.0)).map(\.identity))
        for victim in spec.targets.pickVictims(from: survey.eligible, using: &generator) {
            let delivery: ProcessHandle.Delivery
            do {
                delivery = try ProcessHandle.send(spec.signal.number, to: victim.identity, procFS: targeting.procFS)
            } catch {
                throw .host(error)
            }
            let elapsed = session.elapsed
            record.record(ProcessHit(elapsed: elapsed, process: victim, signal: spec.signal.description, delivered: delivery == .delivered))
            if delivery == .delivered {
                delivered += 1
                awaiting.append((victim, elapsed, known))
            }
        }
        if let interval = spec.interval {
            nextRound = Double(rounds) * interval.seconds
        }
    }

    mutating func tick(_ session: AttackSession) async -> DriverTick {
        if !awaiting.isEmpty {
            let now: ProcessTargeting.Survey
            do {
                now = try await targeting.surveyOnOwnThread()
            } catch {
                return DriverTick(outcome: .failed(reason: error.description), progress: nil)
            }
            let present = now.eligible + now.spared.map(\.0)
            let elapsed = session.elapsed
            awaiting.removeAll { pending in
                guard let newcomer = present.first(where: { !pending.known.contains($0.identity) }) else { return false }
                let comeback = ProcessComeback(killedPID: pending.killed.pid, newPID: newcomer.pid, secondsAfterKill: elapsed - pending.at)
                record.record(comeback)
                latestComeback = comeback
                return true
            }
        }
        if spec.interval != nil, session.elapsed >= nextRound {
            do {
                try await strike(session)
            } catch {
                return DriverTick(outcome: .failed(reason: error.description), progress: nil)
            }
            return DriverTick(outcome: nil, progress: progressLine, level: level)
        }
        if spec.interval == nil, awaiting.isEmpty, record.hitCount > 0, latestComeback != nil {
            return DriverTick(outcome: .completed, progress: progressLine, level: level)
        }
        return DriverTick(outcome: nil, progress: nil)
    }

    /// Processes the signal reached so far.
    private var level: AttackLevel {
        AttackLevel(unit: "processes", requested: nil, achieved: Double(delivered))
    }

    private var progressLine: String {
        var line = "\(delivered) process(es) sent \(spec.signal) in \(rounds) round(s)"
        if let last = latestComeback {
            line += "; latest comeback: pid \(last.newPID) \(last.secondsAfterKill.fixed(2))s after pid \(last.killedPID)"
        }
        return line
    }

    mutating func stop(_ session: AttackSession) {}

    func measurements(into report: inout AttackReport) {
        var measured = record
        spared.sorted().forEach { measured.recordSpared($0) }
        report.processes = measured
    }
}
