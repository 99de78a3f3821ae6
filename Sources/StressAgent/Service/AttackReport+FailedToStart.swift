import FoundationEssentials
import StressCore

extension AttackReport {
    /// The report of an attack whose supervisor could not even write its
    /// ledger record: nothing was created, so there is nothing to undo.
    static func failedToStart(_ supervisor: AttackSupervisor, reason: String) -> AttackReport {
        AttackReport(
            id: supervisor.id, spec: supervisor.spec, startedAt: Date(), endedAt: Date(),
            outcome: .failed(reason: reason), guards: supervisor.guardRails, timeline: [],
            cleanup: CleanupVerification(
                reapMilliseconds: 0, workersReaped: 0, cgroupsRemoved: [], ledgerRecordRemoved: true, leftovers: []))
    }
}
