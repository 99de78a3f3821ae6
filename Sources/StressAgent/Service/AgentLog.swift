import FoundationEssentials
import Logging
import StressCore

/// What the agent tells an operator, one method per event. Every line about
/// an attack carries `attack-id` and `attack-kind`, so one attack's story is
/// one query away: `journalctl ATTACK_ID=cpu-3f9a1c2e`, or `grep
/// attack_id=cpu-3f9a1c2e` in logfmt.
struct AgentLog: Sendable {
    let logger: Logger

    /// What the start-up replay undid, attack by attack, then how many.
    func replayed(_ results: [UndoResult]) {
        for result in results {
            var metadata = Self.attack(result.id, kind: result.id.kind)
            metadata["killed-workers"] = Self.list(result.killedWorkers)
            metadata["resumed-pids"] = Self.list(result.resumedProcesses)
            metadata["removed-cgroups"] = Self.list(result.removedCgroups)
            metadata["removed-fill-folders"] = Self.list(result.removedFiles)
            metadata["notes"] = Self.list(result.notes)
            metadata["errors"] = Self.list(result.errors)
            if result.errors.isEmpty {
                logger.notice("undid an attack an earlier run left behind", metadata: metadata)
            } else {
                logger.error("could not fully undo an attack an earlier run left behind; the next start tries again", metadata: metadata)
            }
        }
        logger.info("ledger replayed", metadata: ["recovered": "\(results.count)"])
    }

    /// The start, with what the request asked of the safety policy for this
    /// attack alone (`stricter`), so an operator sees why a guard tripped early.
    func started(_ id: AttackID, spec: AttackSpec, lease: Duration?, stricter: StricterPolicy = StricterPolicy()) {
        var metadata = Self.attack(id, kind: spec.kind)
        metadata["duration"] = "\(spec.duration.humanReadable)"
        metadata["lease"] = lease.map { "\($0.humanReadable)" }
        var parameters = spec.flatParameters
        parameters["duration"] = nil
        metadata["parameters"] = "\(parameters)"
        var asked = FlatParameters()
        stricter.write(to: &asked)
        metadata["stricter-policy"] = asked.values.isEmpty ? nil : "\(asked)"
        logger.info("attack started", metadata: metadata)
    }

    /// A start the agent turned down before anything was created.
    func refused(_ spec: AttackSpec, error: AgentError) {
        let refusal: String
        switch error {
        case .conflict: refusal = "conflict"
        case .shuttingDown: refusal = "shutting-down"
        case .input: refusal = "invalid"
        case .notSteady: refusal = "not-steady"
        case .host: refusal = "host"
        case .stateDirectory, .ledger, .unknownAttack, .unknownReport, .noMatch: refusal = "agent"
        }
        logger.warning("attack refused", metadata: [
            "attack-kind": "\(spec.kind.rawValue)", "refusal": "\(refusal)", "reason": "\(error.description)",
        ])
    }

    func leaseExpired(_ id: AttackID, kind: AttackKind, lease: Duration?) {
        var metadata = Self.attack(id, kind: kind)
        metadata["lease"] = lease.map { "\($0.humanReadable)" }
        logger.warning("lease expired; stopping the attack", metadata: metadata)
    }

    /// The end of an attack: how it ended and whether cleanup was verified
    /// (error when something was left behind), after a line of its own
    /// when a guard or an abort condition stopped it.
    func ended(_ report: AttackReport) {
        var metadata = Self.attack(report.id, kind: report.spec.kind)
        switch report.outcome {
        case .guardTripped(let name, let reason):
            logger.warning("guard tripped", metadata: metadata.merging(["guard": "\(name)", "reason": "\(reason)"]) { $1 })
            metadata["guard"] = "\(name)"
        case .aborted(let condition, let reason):
            logger.warning("abort condition failed", metadata: metadata.merging(["condition": "\(condition)", "reason": "\(reason)"]) { $1 })
            metadata["condition"] = "\(condition)"
        case .completed, .stopped, .oomKilled, .failed:
            break
        }
        metadata["outcome"] = "\(report.outcome.status)"
        metadata["reason"] = report.outcome.reason.map { "\($0)" }
        metadata["ran-for"] = "\(Duration.seconds(report.endedAt.timeIntervalSince(report.startedAt)).humanReadable)"
        metadata["cleanup"] = report.cleanup.isClean ? "verified" : "leftovers"
        metadata["cleanup-ms"] = "\(Int(report.cleanup.reapMilliseconds.rounded()))"
        metadata["leftovers"] = Self.list(report.cleanup.leftovers)
        let level: Logger.Level = !report.cleanup.isClean ? .error : report.outcome.isSuccess ? .info : .warning
        logger.log(level: level, "attack ended", metadata: metadata)
    }

    /// The report could not be written to the state directory: it is served
    /// from memory until the agent stops, and lost after.
    func reportNotSaved(_ id: AttackID, kind: AttackKind, error: AgentError) {
        var metadata = Self.attack(id, kind: kind)
        metadata["reason"] = "\(error)"
        logger.warning("report not saved; it is lost when the agent stops", metadata: metadata)
    }

    func haltingAll(count: Int, labels: AttackLabels, reason: String) {
        var metadata: Logger.Metadata = ["attacks": "\(count)", "reason": "\(reason)"]
        if !labels.isEmpty { metadata["labels"] = "\(labels)" }
        logger.notice(labels.isEmpty ? "halting every attack" : "halting every attack with these labels", metadata: metadata)
    }

    private static func attack(_ id: AttackID, kind: AttackKind?) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["attack-id": "\(id.rawValue)"]
        metadata["attack-kind"] = kind.map { "\($0.rawValue)" }
        return metadata
    }

    /// nil for an empty list, so a line only names what happened.
    private static func list(_ items: [some CustomStringConvertible]) -> Logger.MetadataValue? {
        items.isEmpty ? nil : "\(items.map(\.description).joined(separator: ", "))"
    }
}
