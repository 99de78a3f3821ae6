import FoundationEssentials
import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// Finished attacks' reports, one JSON file each under `<state>/reports/`,
/// so `stressd report ID` (and the API) can show them later, kept within
/// `retention` (each save deletes what falls outside it; nil: none).
public struct ReportStore: Sendable {
    public let directory: FilePath
    public let retention: ReportRetention?

    public init(stateDirectory: FilePath, retention: ReportRetention? = .default) {
        directory = stateDirectory.appending("reports")
        self.retention = retention
    }

    public func path(of id: AttackID) -> FilePath {
        directory.appending("\(id.rawValue).json")
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
            try AtomicFile.write(Array(Self.encode(report)), to: path)
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
        let path = path(of: id)
        guard Directory.exists(path) else { throw .unknownReport(id) }
        do {
            return try JSONCoding.decoder.decode(AttackReport.self, from: Data(TextFile.readBytes(path)))
        } catch {
            throw .stateDirectory(path: path.string, reason: "unreadable report: \(error)")
        }
    }

    /// Every saved report as a line of the attack list, the last to end
    /// first. A file that does not read as a report is left out, not an
    /// error: one damaged file does not hide the others.
    public func summaries() throws(AgentError) -> [AttackSummary] {
        let reports = savedIDs().compactMap { try? load($0) }
        return reports.sorted { ($0.endedAt, $0.id) > ($1.endedAt, $1.id) }.map { AttackSummary(AgentAttack(finished: $0)) }
    }

    public static func encode(_ report: AttackReport) throws -> Data {
        try JSONCoding.encoder.encode(report)
    }

    /// The ids of the files here named as stressd names reports (none
    /// while the folder does not exist yet).
    private func savedIDs() -> [AttackID] {
        ((try? Directory.entries(directory)) ?? []).compactMap { name in
            guard name.hasSuffix(".json") else { return nil }
            return try? AttackID(validating: String(name.dropLast(5)))
        }
    }

    /// Deletes what the retention lets go, never `kept` (the report just
    /// saved, even if the clock says it is old). Only regular files of
    /// stressd's user named as reports are counted or deleted.
    private func prune(_ retention: ReportRetention, keeping kept: AttackID) throws(HostError) {
        let folder = try OpenDirectory.open(directory)
        let saved = savedIDs().compactMap { id -> ReportRetention.Saved? in
            let name = "\(id.rawValue).json"
            return folder.modificationTime(ofOwnFile: name).map { ReportRetention.Saved(name: name, savedAt: $0) }
        }
        for name in retention.expired(saved, now: time(nil)) where name != "\(kept.rawValue).json" {
            try folder.remove(name)
        }
    }
}
