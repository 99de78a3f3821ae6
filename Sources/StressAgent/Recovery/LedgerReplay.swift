import FoundationEssentials
import Glibc
import LinuxHost
import StressCore

/// Reads the ledger back: lists attacks, stops them, and undoes those whose
/// supervisor is gone. Every `stressd` start runs `undoOrphans()`; `stressd
/// cleanup` runs `cleanup()`. (chaosd persists its records but never replays
/// them; stressd does, so a SIGKILLed agent or a reboot leaves nothing.)
public struct LedgerReplay: Sendable {
    public let ledger: Ledger
    public let undo: AttackUndo
    /// How long a running supervisor gets to stop and clean up after SIGTERM
    /// before stressd kills it and undoes its record itself.
    public var gracefulStopTimeout: Duration = .seconds(5)

    public init(ledger: Ledger, undo: AttackUndo) {
        self.ledger = ledger
        self.undo = undo
    }

    public func statuses() throws(AgentError) -> [AttackStatus] {
        try ledger.records().map { record in
            AttackStatus(record: record, state: isSupervised(record) ? .running : .orphaned)
        }
    }

    /// Undoes every record whose supervisor is gone; leaves running ones
    /// alone. A record that cannot be read does not hold the others back:
    /// they are undone first, then it is reported (thrown).
    public func undoOrphans() throws(AgentError) -> [UndoResult] {
        try ledger.withExclusiveLock { () throws(AgentError) -> [UndoResult] in
            let scan = try ledger.scan()
            var results: [UndoResult] = []
            for record in scan.records where !isSupervised(record) {
                results.append(try undoAndForget(record, by: .replay))
            }
            try Self.report(scan.unreadable, after: results)
            return results
        }
    }

    /// A cleanup watchdog's undo: the record of `id`, if it is still there
    /// and still names `supervisor` (the one the watchdog watched), undone
    /// and removed once nothing is left; nil when there is nothing to do.
    /// Under the ledger's lock, so a replay running at the same moment
    /// undoes it once, not twice.
    /// `beforeForgetting` runs once the undo is done and before the record
    /// goes: a report saved there survives the watchdog being killed at the
    /// next instant (systemd's stop ends with SIGKILL), where one saved after
    /// would be lost with nothing left to say which layer undid the attack.
    public func undoAbandoned(
        _ id: AttackID, supervisor: ProcessIdentity, beforeForgetting: (LedgerRecord, UndoResult) -> Void = { _, _ in }
    ) throws(AgentError) -> UndoResult? {
        try ledger.withExclusiveLock { () throws(AgentError) -> UndoResult? in
            guard let record = try ledger.scan().records.first(where: { $0.id == id }), record.supervisor == supervisor else {
                return nil
            }
            return try undoAndForget(record, by: .watchdog) { beforeForgetting(record, $0) }
        }
    }

    /// Stops one attack: asks its supervisor to stop (SIGTERM) and waits for
    /// it to clean up; if it is gone or does not finish in time, kills it and
    /// undoes the record here.
    public func stop(_ id: AttackID) async throws(AgentError) -> UndoResult {
        guard let record = try ledger.records().first(where: { $0.id == id }) else {
            throw .unknownAttack(id)
        }
        return try await stop(record)
    }

    /// Stops every running attack and undoes every orphaned one (with
    /// `labels`, only those carrying them); an unreadable record is
    /// reported after the others are undone.
    public func cleanup(labeled labels: AttackLabels = AttackLabels()) async throws(AgentError) -> [UndoResult] {
        let scan = try ledger.scan()
        var results: [UndoResult] = []
        for record in scan.records where record.labels.contains(labels) {
            results.append(try await stop(record))
        }
        try Self.report(scan.unreadable, after: results)
        return results
    }

    private static func report(_ unreadable: [String], after results: [UndoResult]) throws(AgentError) {
        guard !unreadable.isEmpty else { return }
        let undone = results.isEmpty ? "" : "undid \(results.map(\.id.rawValue).joined(separator: ", ")) first; "
        throw .ledger(reason: undone + unreadable.joined(separator: "; "))
    }

    private func stop(_ record: LedgerRecord) async throws(AgentError) -> UndoResult {
        if case .alive(let supervisor)? = supervisorHandle(record) {
            _ = try? supervisor.send(SIGTERM)
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: gracefulStopTimeout)
            while ledger.contains(record.id) && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
            if !ledger.contains(record.id) {
                var result = UndoResult(id: record.id, layer: .supervisor)
                result.notes.append("stopped by its supervisor (pid \(record.supervisor.pid)), which cleaned up")
                return result
            }
            _ = try? supervisor.send(SIGKILL)
            _ = supervisor.waitForExit(timeoutMilliseconds: 1000)
        }
        return try ledger.withExclusiveLock { () throws(AgentError) -> UndoResult in
            try undoAndForget(record, by: .command)
        }
    }

    /// Undoes a record and removes it once nothing is left; a record whose
    /// undo failed stays, so the next replay tries again.
    private func undoAndForget(
        _ record: LedgerRecord, by layer: CleanupLayer, beforeForgetting: (UndoResult) -> Void = { _ in }
    ) throws(AgentError) -> UndoResult {
        var result = undo.undo(record, by: layer)
        let leftovers = undo.leftovers(of: record)
        result.errors.append(contentsOf: leftovers)
        beforeForgetting(result)
        if result.errors.isEmpty {
            try ledger.remove(record.id)
        }
        return result
    }

    private func supervisorHandle(_ record: LedgerRecord) -> ProcessHandle.Lookup? {
        guard record.bootID == undo.bootID else { return nil }
        return try? ProcessHandle.open(record.supervisor, procFS: undo.procFS)
    }

    private func isSupervised(_ record: LedgerRecord) -> Bool {
        if case .alive? = supervisorHandle(record) { return true }
        return false
    }
}

/// One ledger record and whether anything still looks after it.
public struct AttackStatus: Codable, Hashable, Sendable {
    public enum State: String, Codable, Sendable {
        /// Its supervisor is alive and will end it at its deadline.
        case running
        /// Its supervisor is gone; the next stressd start or `stressd cleanup` undoes it.
        case orphaned
    }

    public var record: LedgerRecord
    public var state: State
}
