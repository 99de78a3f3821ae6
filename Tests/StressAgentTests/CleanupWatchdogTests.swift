import Foundation
import Glibc
import LinuxHost
import StressAgent
import StressCore
import TestSupport
import Testing

@Suite("The cleanup watchdog's command line and its undo")
struct CleanupWatchdogTests {
    static let watchdog = CleanupWatchdog(
        attack: try! AttackID(validating: "disk-0a1b2c3d"), supervisor: ProcessIdentity(pid: 4242, startTime: 987_654),
        until: 123_456_789, stateDirectory: "/var/lib/stressd")

    /// An agent that is PID 1 of a container's pid namespace gets watchdogs too.
    @Test func aSupervisorThatIsPID1IsWatched() throws {
        let watchdog = try CleanupWatchdog(parsing: ["watchdog", "cpu-0a1b2c3d", "--supervisor", "1:5", "--until", "9", "--state-dir", "/s"])
        #expect(watchdog.supervisor == ProcessIdentity(pid: 1, startTime: 5))
    }

    @Test func readsBackWhatItWrites() throws {
        #expect(Self.watchdog.arguments == [
            "watchdog", "disk-0a1b2c3d", "--supervisor", "4242:987654", "--until", "123456789", "--state-dir", "/var/lib/stressd",
        ])
        #expect(try CleanupWatchdog(parsing: Self.watchdog.arguments) == Self.watchdog)
    }

    @Test("refuses what stressd never writes", arguments: [
        ["watchdog"],
        ["watchdog", "disk-0a1b2c3d", "--supervisor", "4242:1", "--until", "1"],
        ["watchdog", "../etc", "--supervisor", "4242:1", "--until", "1", "--state-dir", "/s"],
        ["watchdog", "disk-0a1b2c3d", "--supervisor", "4242", "--until", "1", "--state-dir", "/s"],
        ["watchdog", "disk-0a1b2c3d", "--supervisor", "0:5", "--until", "1", "--state-dir", "/s"],
        ["watchdog", "disk-0a1b2c3d", "--supervisor", "4242:1", "--until", "soon", "--state-dir", "/s"],
        ["watchdog", "disk-0a1b2c3d", "--until", "1", "--supervisor", "4242:1", "--state-dir", "/s"],
        ["worker", "disk-0a1b2c3d", "--supervisor", "4242:1", "--until", "1", "--state-dir", "/s"],
    ])
    func refusesWhatStressdNeverWrites(arguments: [String]) {
        #expect(throws: CleanupWatchdog.Malformed.self) { try CleanupWatchdog(parsing: arguments) }
    }

    /// The watchdog undoes only the record of the supervisor it watched:
    /// one that names another supervisor is left alone.
    @Test func undoesOnlyTheRecordOfItsOwnSupervisor() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let watched = ProcessIdentity(pid: 999_998, startTime: 1)
        let ours = try makeRecord(id: "cpu-0000aaaa", bootID: environment.bootID, supervisor: watched)
        let theirs = try makeRecord(id: "cpu-0000bbbb", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 999_997, startTime: 1))
        try environment.ledger.write(ours)
        try environment.ledger.write(theirs)

        #expect(try environment.replay.undoAbandoned(theirs.id, supervisor: watched) == nil)
        #expect(environment.ledger.contains(theirs.id))

        var recordKeptUntilReported = false
        let undone = try #require(try environment.replay.undoAbandoned(ours.id, supervisor: watched) { record, _ in
            recordKeptUntilReported = record.id == ours.id && environment.ledger.contains(ours.id)
        })
        #expect(undone.layer == .watchdog)
        #expect(undone.errors.isEmpty)
        #expect(recordKeptUntilReported, "a watchdog killed before its report is saved leaves the record for the next layer")
        #expect(!environment.ledger.contains(ours.id))
        #expect(try environment.replay.undoAbandoned(ours.id, supervisor: watched) == nil, "a record already undone is nothing to do")
    }
}
