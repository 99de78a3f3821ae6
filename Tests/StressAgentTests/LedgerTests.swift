import Foundation
import LinuxHost
import StressAgent
import StressCore
import TestSupport
import Testing

@Suite("Ledger: the durable record of what attacks created")
struct LedgerTests {
    @Test func writesReadsAndRemovesRecords() throws {
        let state = try TemporaryDirectory()
        let ledger = try Ledger(stateDirectory: state.path)
        #expect(try ledger.records().isEmpty)
        var record = try makeRecord(id: "cpu-00000001", bootID: "b", supervisor: ProcessIdentity(pid: 1, startTime: 1))
        try ledger.write(record)
        record.workers.append(ProcessIdentity(pid: 99, startTime: 5))
        try ledger.write(record)
        #expect(try ledger.records() == [record])
        #expect(ledger.contains(record.id))
        try ledger.remove(record.id)
        #expect(try ledger.records().isEmpty)
        // Removing twice is fine: cleanup is idempotent.
        try ledger.remove(record.id)
    }

    @Test func leavesNoTemporaryFilesBehind() throws {
        let state = try TemporaryDirectory()
        let ledger = try Ledger(stateDirectory: state.path)
        try ledger.write(try makeRecord(id: "cpu-00000002", bootID: "b", supervisor: ProcessIdentity(pid: 1, startTime: 1)))
        let names = try Directory.entries(ledger.directory).filter { !$0.hasPrefix(".lock") }
        #expect(names == ["cpu-00000002.json"])
    }

    @Test func anUnreadableRecordIsReportedNotSkipped() throws {
        let state = try TemporaryDirectory()
        let ledger = try Ledger(stateDirectory: state.path)
        try Data("{ torn".utf8).write(to: URL(fileURLWithPath: ledger.directory.appending("cpu-0000dead.json").string))
        #expect(throws: AgentError.self) { try ledger.records() }
    }

    @Test func anUnusableStateDirectorySaysHowToPickAnother() throws {
        let error = try #require(throws: AgentError.self) { try Ledger(stateDirectory: "/proc/stressd-cannot-be-here") }
        #expect(error.description.contains("--state-dir"))
    }
}
