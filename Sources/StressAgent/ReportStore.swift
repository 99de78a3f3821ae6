import FoundationEssentials
import LinuxHost
import StressCore
import SystemPackage

/// Finished attacks' reports, one JSON file each under `<state>/reports/`,
/// so `stressd report ID` (and the API) can show them later.
public struct ReportStore: Sendable {
    public let directory: FilePath

    public init(stateDirectory: FilePath) {
        directory = stateDirectory.appending("reports")
    }

    public func path(of id: AttackID) -> FilePath {
        directory.appending("\(id.rawValue).json")
    }

    /// Saves the report and returns where.
    @discardableResult
    public func save(_ report: AttackReport) throws(AgentError) -> FilePath {
        let path = path(of: report.id)
        do {
            try Directory.create(directory, mode: 0o700)
            // The state directory was checked with the ledger; a `reports`
            // link or folder planted inside it before it was is not trusted.
            try TrustedPath.requirePrivateDirectory(directory)
            try AtomicFile.write(Array(Self.encode(report)), to: path)
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

    public static func encode(_ report: AttackReport) throws -> Data {
        try JSONCoding.encoder.encode(report)
    }
}
