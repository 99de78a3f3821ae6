import Foundation
import StressAgent
import StressCore
import SystemPackage
import TestSupport
import Testing

@Suite struct ReportStoreTests {
    func report(guards: Guard?) throws -> AttackReport {
        try AttackReport(
            id: AttackID(validating: "disk-0000abcd"),
            spec: AttackSpec(kind: .disk, parameters: FlatParameters(["path": "/tmp", "size": "1M", "duration": "1s"])),
            startedAt: Date(timeIntervalSince1970: 1_800_000_000), endedAt: Date(timeIntervalSince1970: 1_800_000_001),
            outcome: .completed, guards: guards, timeline: [],
            cleanup: CleanupVerification(reapMilliseconds: 0, workersReaped: 0, cgroupsRemoved: [], ledgerRecordRemoved: true, leftovers: []))
    }

    @Test func aReportsLinkInsideTheStateDirectoryIsNotWrittenThrough() throws {
        let state = try TemporaryDirectory()
        let elsewhere = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: state.path.appending("reports").string, withDestinationPath: elsewhere.path.string)

        #expect(throws: AgentError.self) { try ReportStore(stateDirectory: state.path).save(try report(guards: nil)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path.string).isEmpty)
    }

    @Test func keepsTheGuardsAReportWasHeldTo() throws {
        let state = try TemporaryDirectory()
        let store = ReportStore(stateDirectory: state.path)
        let held = try report(guards: Guard(diskFloorBytes: ["/tmp": 512 << 20]))
        _ = try store.save(held)
        #expect(try store.load(held.id) == held)
    }

    @Test func readsReportsSavedBeforeGuardsWereRecorded() throws {
        let state = try TemporaryDirectory()
        let store = ReportStore(stateDirectory: state.path)
        let saved = try store.save(try report(guards: Guard(diskFloorBytes: ["/tmp": 1])))
        // The same report as an earlier stressd wrote it: no "guards" key.
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: saved.string))) as? [String: Any])
        json["guards"] = nil
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: saved.string))
        #expect(try store.load(AttackID(validating: "disk-0000abcd")).guards == nil)
    }
}
