import StressCore
import Testing

/// Issue 12, finding 8: a kill report's lists are capped, and what is past a
/// cap is counted rather than lost.
@Suite("Process attacks: capped hit lists")
struct ProcessMeasurementsTests {
    let process = ProcessCandidate(
        identity: ProcessIdentity(pid: 10, startTime: 1), command: "x", commandLine: String(repeating: "a", count: 4096),
        userID: 0, cgroup: "/", isKernelThread: false)

    @Test func hitsComebacksAndSparedStopAtTheirCaps() {
        var record = ProcessMeasurements()
        for round in 0..<(ProcessMeasurements.listLimit + 250) {
            record.record(ProcessHit(elapsed: Double(round), process: process, signal: "SIGKILL", delivered: true))
            record.record(ProcessComeback(killedPID: 10, newPID: 11, secondsAfterKill: 0.1))
        }
        for pid in 0..<(ProcessMeasurements.sparedLimit + 3) { record.recordSpared("pid \(pid): protected") }

        #expect(record.hits.count == ProcessMeasurements.listLimit)
        #expect(record.unlistedHits == 250)
        #expect(record.hitCount == ProcessMeasurements.listLimit + 250)
        #expect(record.comebacks.count == ProcessMeasurements.listLimit)
        #expect(record.unlistedComebacks == 250)
        #expect(record.spared.count == ProcessMeasurements.sparedLimit)
        #expect(record.unlistedSpared == 3)
        #expect(record.hits.first?.elapsed == 0, "the first hits are kept: they say when the attack began to bite")
    }

    @Test func underTheCapsNothingIsCountedAsUnlisted() {
        let record = ProcessMeasurements(hits: [ProcessHit(elapsed: 0, process: process, signal: "SIGTERM", delivered: true)])
        #expect(record.unlistedHits == nil && record.unlistedComebacks == nil && record.unlistedSpared == nil)
        #expect(record.hitCount == 1)
    }
}
