import FoundationEssentials
import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// Finished attacks' reports, one JSON file each under `<state>/reports/`,
/// so `stressd report ID` (and the API) can show them later, kept within
/// `retention` (each save deletes what falls outside it; nil: none).
///
/// Beside each report, `<id>.summary.json` holds its line of the list: a
/// report carries up to 600 timeline samples (~200 KB), and decoding 500
/// of them for `report --list` took 2.3-3.4 s; the summaries are a
/// few hundred bytes each.
public struct ReportStore: Sendable {
    public let directory: FilePath
    public let retention: ReportRetention?

    public init(stateDirectory: FilePath, retention: ReportRetention? = .default) {
        directory = stateDirectory.appending("reports")
        self.retention = retention
    }

    public func path(of id: AttackID) -> FilePath {
        directory.appending(Self.reportName(id))
    }

    /// Its line of the list.
    func summaryPath(of id: AttackID) -> FilePath {
        directory.appending(Self.summaryName(id))
    }

    private static func reportName(_ id: AttackID) -> String {
        "\(id.rawValue).json"
    }

    /// Not a name `savedIDs` reads as a report's: an attack id has no dot.
    private static let summarySuffix = ".summary.json"

    private static func summaryName(_ id: AttackID) -> String {
        id.rawValue + summarySuffix
    }

    /// Saves the report, then deletes reports beyond the retention; returns
    /// where it was saved.
    @discardableResult
    public func save(_ report: AttackReport) throws(AgentError) -> FilePath {
        let path = path(of: report.id)
        do {
            try Directory.create(directory, mode: 0o700)
            // The state directory was checked with the ledger; a `reports`
            // link or folder planted inside it before it was is not trusted.
            try TrustedPath.requirePrivateDirectory(directory)
            // The summary goes before the report is written and comes back
            // after it: a crash in between leaves a report without one
            // (listed from the report), never a summary that disagrees
            // with its report (a report saved again, with a leftover).
            let summaryPath = summaryPath(of: report.id)
            if Directory.exists(summaryPath) { try AtomicFile.remove(summaryPath) }
            try AtomicFile.write(Array(Self.encode(report)), to: path)
            let summary = AttackSummary(AgentAttack(finished: report))
            try AtomicFile.write(Array(JSONCoding.encoder.encode(summary)), to: summaryPath)
            if let retention { try prune(retention, keeping: report.id) }
        } catch let error as HostError {
            throw .stateDirectory(path: directory.string, reason: error.description)
        } catch {
            throw .stateDirectory(path: directory.string, reason: "\(error)")
        }
        return path
    }

    /// A saved report; `unknownReport` if there is none for the id.
    public func load(_ id: AttackID) throws(AgentError) -> AttackReport {
        guard let folder = try openFolder() else { throw .unknownReport(id) }
        return try load(id, in: folder)
    }

    private func load(_ id: AttackID, in folder: OpenDirectory) throws(AgentError) -> AttackReport {
        do {
            let text = try folder.readText(Self.reportName(id), limit: Self.maxReportBytes)
            return try JSONCoding.decoder.decode(AttackReport.self, from: Data(text.utf8))
        } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
            throw .unknownReport(id)  // never saved, or deleted since by a save's retention
        } catch {
            throw .stateDirectory(path: path(of: id).string, reason: "unreadable report: \(error)")
        }
    }

    /// Far above the largest report (600 samples of every field: ~200 KB);
    /// a file cut there fails to decode rather than fill memory.
    private static let maxReportBytes = 16 << 20

    /// Every saved report as a line of the attack list, the last to end
    /// first: from its summary file, or from the report itself where there
    /// is none (saved by an earlier stressd, or a crash between the two
    /// writes). A file that does not read is left out, not an error: one
    /// damaged file does not hide the others. A folder that does not read
    /// is an error: it never passes for one with no reports.
    public func summaries() throws(AgentError) -> [AttackSummary] {
        guard let folder = try openFolder() else { return [] }
        let ids: [AttackID]
        do {
            ids = try savedIDs(in: folder)
        } catch {
            throw .stateDirectory(path: directory.string, reason: error.description)
        }
        let summaries = ids.compactMap { id in
            savedSummary(id, in: folder) ?? (try? load(id, in: folder)).map { AttackSummary(AgentAttack(finished: $0)) }
        }
        return summaries.sorted { ($0.endedAt ?? .distantPast, $0.id) > ($1.endedAt ?? .distantPast, $1.id) }
    }

    /// The reports folder, read through a descriptor so no file in it is
    /// reached through a link, after the check `save` makes (stressd's own,
    /// writable by no one else), so no report there was planted; nil while
    /// it does not exist yet.
    private func openFolder() throws(AgentError) -> OpenDirectory? {
        guard Directory.exists(directory) else { return nil }
        do {
            try TrustedPath.requirePrivateDirectory(directory)
            return try OpenDirectory.open(directory)
        } catch {
            throw .stateDirectory(path: directory.string, reason: error.description)
        }
    }

    /// A summary read without following a link, and only for its own id.
    private func savedSummary(_ id: AttackID, in folder: OpenDirectory) -> AttackSummary? {
        guard let text = try? folder.readText(Self.summaryName(id), limit: 64 << 10),
              let summary = try? JSONCoding.decoder.decode(AttackSummary.self, from: Data(text.utf8)), summary.id == id
        else { return nil }
        return summary
    }

    public static func encode(_ report: AttackReport) throws -> Data {
        try JSONCoding.encoder.encode(report)
    }

    /// The ids of the files in `folder` named as stressd names reports.
    private func savedIDs(in folder: OpenDirectory) throws(HostError) -> [AttackID] {
        try folder.entries().compactMap { name in
            guard name.hasSuffix(".json") else { return nil }
            return try? AttackID(validating: String(name.dropLast(5)))
        }
    }

    /// Deletes what the retention lets go, never `kept` (the report just
    /// saved, even if the clock says it is old), each report with its
    /// summary, and summaries whose report is gone. Only regular files of
    /// stressd's user named as reports are counted.
    private func prune(_ retention: ReportRetention, keeping kept: AttackID) throws(HostError) {
        let folder = try OpenDirectory.open(directory)
        let saved = try savedIDs(in: folder).compactMap { id -> ReportRetention.Saved? in
            let name = Self.reportName(id)
            return folder.modificationTime(ofOwnFile: name).map { ReportRetention.Saved(name: name, savedAt: $0) }
        }
        for name in retention.expired(saved, now: time(nil)) where name != Self.reportName(kept) {
            try folder.remove(name)
        }
        // Summaries whose report is gone (just now, or by hand), looked up
        // now rather than in the list above: a report another stressd
        // saved since is there before its summary, so it keeps it.
        for name in try folder.entries() where name.hasSuffix(Self.summarySuffix) {
            guard let id = try? AttackID(validating: String(name.dropLast(Self.summarySuffix.count))) else { continue }
            if folder.modificationTime(ofOwnFile: Self.reportName(id)) == nil { try folder.remove(name) }
        }
    }
}
