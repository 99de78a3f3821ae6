import StressCore
import SystemPackage

/// An attack's report as its supervisor left it: saved in the state
/// directory before the ledger record was removed (so no death in between
/// loses who undid it), or why it could not be saved.
public struct FinishedAttack: Sendable {
    public var report: AttackReport
    /// Where `stressd report ID` and /v1/reports find it.
    public var saved: Result<FilePath, AgentError>

    public init(report: AttackReport, saved: Result<FilePath, AgentError>) {
        self.report = report
        self.saved = saved
    }

    /// Saves a report no supervisor saved (an attack that failed to start).
    public init(saving report: AttackReport, in store: ReportStore) {
        self.init(report: report, saved: store.saved(report))
    }
}

extension ReportStore {
    /// `save`, as a value to keep: a report that cannot be kept is still
    /// shown, since the attack happened and was undone either way.
    func saved(_ report: AttackReport) -> Result<FilePath, AgentError> {
        do {
            return .success(try save(report))
        } catch {
            return .failure(error)
        }
    }
}
