import Foundation
import Glibc
import StressAgent
import StressCore
import SystemPackage
import TestSupport
import Testing

@Suite struct ReportStoreTests {
    func report(guards: Guard?, id: String = "disk-0000abcd", endedAt: Double = 1_800_000_001) throws -> AttackReport {
        try AttackReport(
            id: AttackID(validating: id),
            spec: AttackSpec(kind: .disk, parameters: FlatParameters(["path": "/tmp", "size": "1M", "duration": "1s"])),
            startedAt: Date(timeIntervalSince1970: endedAt - 1), endedAt: Date(timeIntervalSince1970: endedAt),
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

    @Test func readsNeverFollowALinkNorPassAFolderThatIsNotPrivateForNoReports() throws {
        let state = try TemporaryDirectory()
        let store = ReportStore(stateDirectory: state.path)
        #expect(try store.summaries().isEmpty, "no folder yet: no reports")
        let kept = try report(guards: nil)
        try store.save(kept)
        // A report swapped for a link to another report: not read through it.
        let elsewhere = try TemporaryDirectory()
        let decoy = elsewhere.path.appending("decoy.json")
        try FileManager.default.copyItem(atPath: store.path(of: kept.id).string, toPath: decoy.string)
        try FileManager.default.removeItem(atPath: store.path(of: kept.id).string)
        try FileManager.default.createSymbolicLink(atPath: store.path(of: kept.id).string, withDestinationPath: decoy.string)
        #expect(throws: AgentError.self) { try store.load(kept.id) }
        // A folder others may write could hold planted reports: an error, never an empty list.
        chmod(store.directory.string, 0o777)
        #expect(throws: AgentError.self) { try store.summaries() }
        #expect(throws: AgentError.self) { try store.load(kept.id) }
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

    /// Issue 17: the state directory cannot grow without bound. Each save
    /// keeps the `keep` newest and none older than `maxAge`; files that are
    /// not stressd's reports are neither counted nor deleted.
    @Test func eachSaveDeletesReportsBeyondTheRetentionAndNothingElse() throws {
        let state = try TemporaryDirectory()
        let store = ReportStore(stateDirectory: state.path, retention: ReportRetention(keep: 2, maxAge: .seconds(3600)))
        let folder = state.path.appending("reports").string
        for (index, id) in ["cpu-00000001", "cpu-00000002", "cpu-00000003"].enumerated() {
            try store.save(try report(guards: nil, id: id, endedAt: 1_800_000_000 + Double(index)))
            // Saved a minute apart, as far as the file times say.
            let age = TimeInterval(180 - 60 * index)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: folder + "/\(id).json")
        }
        try "not a report".write(toFile: folder + "/notes.txt", atomically: false, encoding: .utf8)
        try store.save(try report(guards: nil, id: "cpu-00000004", endedAt: 1_800_000_010))
        var left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(
            left == ["cpu-00000003.json", "cpu-00000003.summary.json", "cpu-00000004.json", "cpu-00000004.summary.json", "notes.txt"],
            "the two newest with their summaries, and what is not a report")
        #expect(try store.summaries().map(\.id.rawValue) == ["cpu-00000004", "cpu-00000003"], "the last to end first")

        // Two hours old: past max-age, deleted at the next save although within `keep`.
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: folder + "/cpu-00000003.json")
        try store.save(try report(guards: nil, id: "cpu-00000005", endedAt: 1_800_000_020))
        left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(left == ["cpu-00000004.json", "cpu-00000004.summary.json", "cpu-00000005.json", "cpu-00000005.summary.json", "notes.txt"])
    }

    /// Without a retention (the cleanup watchdog, which does not read the
    /// operator's config) a save deletes nothing; a damaged file does not
    /// hide the other reports from the list.
    @Test func aStoreWithoutRetentionDeletesNothingAndTheListSkipsDamage() throws {
        let state = try TemporaryDirectory()
        let store = ReportStore(stateDirectory: state.path, retention: nil)
        for index in 1...3 {
            try store.save(try report(guards: nil, id: "mem-0000000\(index)", endedAt: 1_800_000_000 + Double(index)))
        }
        try "{".write(toFile: state.path.appending("reports/disk-0000dead.json").string, atomically: false, encoding: .utf8)
        #expect(try store.summaries().map(\.id.rawValue) == ["mem-00000003", "mem-00000002", "mem-00000001"])
        #expect(try store.summaries().allSatisfy { $0.state == .finished && $0.cleanupVerified == true })
        #expect(try ReportStore(stateDirectory: try TemporaryDirectory().path).summaries().isEmpty, "no folder yet: no reports")
    }

    /// The list reads each report's summary file, not the report (up to
    /// ~200 KB each); a report without one (an earlier stressd's) is listed
    /// from the report, and a summary whose report is gone goes at the next
    /// save.
    @Test func theListReadsSummariesAndFallsBackToTheReport() throws {
        let state = try TemporaryDirectory()
        let store = ReportStore(stateDirectory: state.path)
        let folder = state.path.appending("reports").string
        try store.save(try report(guards: nil, id: "cpu-00000001", endedAt: 1_800_000_001))
        try store.save(try report(guards: nil, id: "cpu-00000002", endedAt: 1_800_000_002))
        // The report damaged, its summary intact: listed from the summary.
        try "{".write(toFile: folder + "/cpu-00000001.json", atomically: false, encoding: .utf8)
        // A report saved before summaries were: listed from the report.
        try FileManager.default.removeItem(atPath: folder + "/cpu-00000002.summary.json")
        let listed = try store.summaries()
        #expect(listed.map(\.id.rawValue) == ["cpu-00000002", "cpu-00000001"])
        #expect(listed.allSatisfy { $0.outcome == .completed && $0.cleanupVerified == true })

        // A summary naming another attack is not trusted for this one.
        let other = try Data(contentsOf: URL(fileURLWithPath: folder + "/cpu-00000001.summary.json"))
        try other.write(to: URL(fileURLWithPath: folder + "/cpu-00000002.summary.json"))
        #expect(try store.summaries().map(\.id.rawValue) == ["cpu-00000002", "cpu-00000001"])

        try FileManager.default.removeItem(atPath: folder + "/cpu-00000001.json")
        try store.save(try report(guards: nil, id: "cpu-00000003", endedAt: 1_800_000_003))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(left == ["cpu-00000002.json", "cpu-00000002.summary.json", "cpu-00000003.json", "cpu-00000003.summary.json"])
    }

    /// A report saved again (its supervisor found a leftover after the
    /// first save) gets a summary that says so.
    @Test func aReportSavedAgainHasASummaryThatAgrees() throws {
        let state = try TemporaryDirectory()
        let store = ReportStore(stateDirectory: state.path)
        var saved = try report(guards: nil, id: "cpu-00000001")
        try store.save(saved)
        #expect(try store.summaries().first?.cleanupVerified == true)
        saved.cleanup.leftovers = ["cgroup stressd-cpu-00000001 still there"]
        try store.save(saved)
        #expect(try store.summaries().first?.cleanupVerified == false)
    }
}
