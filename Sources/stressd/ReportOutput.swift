import FoundationEssentials
import LinuxHost
import StressAgent
import StressCore
import SystemPackage

/// Where a finished attack's report goes: the state directory always (or
/// the remote agent's, which keeps its own), `--report FILE` when asked,
/// and stdout as JSON or as a short summary.
struct ReportOutput {
    /// Who keeps the report for `stressd report ID` later.
    enum Keeper {
        /// The supervisor saved it there (or says why it could not).
        case stateDirectory(Result<FilePath, AgentError>)
        case agent(String)
    }

    let json: Bool
    let file: String?
    let keeper: Keeper

    func emit(_ report: AttackReport) throws {
        let savedAt: String
        switch keeper {
        case .stateDirectory(.success(let path)):
            savedAt = path.string
        case .stateDirectory(.failure(let error)):
            // A report that cannot be kept is still printed: the attack
            // happened and was undone either way.
            savedAt = "not saved (\(error))"
            Terminal().note("warning: the report could not be saved: \(error)")
        case .agent(let url):
            savedAt = Self.keptByAgent(report.id, at: url)
        }
        let data = try ReportStore.encode(report)
        if let file {
            try AtomicFile.write(Array(data), to: FilePath(file))
        }
        if json {
            StandardStream.output.write(data + [UInt8(ascii: "\n")])
        } else {
            TerminalText.print(Self.summary(report, savedAt: savedAt))
        }
    }

    /// `--report FILE` (or `report --svg FILE`, `field`), checked before the
    /// attack starts or the report is read (exit 2): FILE, if
    /// there, must be this user's own regular file, and its folder must not
    /// let other users swap names in it. The file is then written as a fresh
    /// temp file renamed over FILE, mode 0600, so even a link planted after
    /// the check is replaced, never written through.
    static func checkDestination(_ file: String, field: String = "report") throws(InputError) {
        do {
            try TrustedPath.requireWritableByOwnerOnly(FilePath(file))
        } catch {
            throw .rejected(field: field, reason: "\(error)")
        }
    }

    /// Where a report lives when a remote agent keeps it, and how to read it again.
    static func keptByAgent(_ id: AttackID, at url: String) -> String {
        "kept by the agent: stressd report \(id) --agent \(url)"
    }

    private static func rightAligned(_ text: String, width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func summary(_ report: AttackReport, savedAt: String) -> String {
        var lines = ["\(report.id) \(report.outcome)"]
        if let cpu = report.cpu {
            lines.append("  asked:     \(report.spec.flatParameters)"
                + " (\(cpu.requestedLoadPerWorker.percent(1)) per worker)")
            if !cpu.workers.isEmpty {
                let each = cpu.workers.map { "pid \($0.pid) \($0.averageLoad.percent(1))" }.joined(separator: ", ")
                let mean = cpu.workers.map(\.averageLoad).reduce(0, +) / Double(cpu.workers.count)
                lines.append("  achieved:  \(each) (mean \(mean.percent(1)))")
            }
        }
        if let memory = report.memory {
            let reached = memory.secondsToTarget.map { " in \($0.fixed(2))s" } ?? " (target not reached)"
            lines.append("  held:      \(ByteCount(bytes: memory.peakHeldBytes)) held of \(ByteCount(bytes: memory.targetBytes))\(reached)"
                + (memory.locked ? ", locked" : ""))
            let after = memory.availableAfterBytes.map { ByteCount(bytes: $0).description } ?? "?"
            lines.append("  available: \(ByteCount(bytes: memory.availableBeforeBytes)) before, "
                + "\(ByteCount(bytes: memory.availableLowestBytes)) at the lowest, \(after) after")
            if let score = memory.supervisorOOMScoreAdjustment {
                lines.append("  oom score: supervisor \(score), hog 1000" + (memory.supervisorOOMScoreNote.map { ": \($0)" } ?? ""))
            }
            for kill in memory.oomKills {
                lines.append("  OOM kill:  pid \(kill.pid) at \(kill.elapsed.fixed(1))s")
            }
        }
        if let disk = report.disk {
            let took = disk.secondsToFill.map { " in \($0.fixed(3))s" } ?? ""
            lines.append("  filled:    \(ByteCount(bytes: disk.filledBytes)) of \(ByteCount(bytes: disk.targetBytes)) in \(disk.fillDirectory) "
                + "(\(disk.method))\(took)" + (disk.shortfall.map { ", stopped short: \($0)" } ?? ""))
            let after = disk.availableAfterBytes.map { ByteCount(bytes: $0).description } ?? "?"
            lines.append("  free:      \(ByteCount(bytes: disk.availableBeforeBytes)) before, "
                + "\(ByteCount(bytes: disk.availableLowestBytes)) at the lowest, \(after) after")
        }
        if let io = report.io {
            lines += Self.describe(io)
        }
        if let processes = report.processes {
            for hit in processes.hits {
                lines.append("  \(Self.rightAligned(hit.elapsed.fixed(2), width: 6))s  \(hit.signal) pid \(hit.process.pid) (\(TerminalText.field(hit.process.command)))"
                    + (hit.process.pidNamespace.map { ", in another pid namespace (\(PlanOutput.describe($0)))" } ?? "")
                    + (hit.delivered ? "" : " — already gone, not sent"))
            }
            for comeback in processes.comebacks {
                lines.append("  comeback: pid \(comeback.newPID) \(comeback.secondsAfterKill.fixed(2))s after pid \(comeback.killedPID) was killed")
            }
            lines += processes.spared.map { "  spared:   \($0)" }
            let unlisted = [(processes.unlistedHits, "signals"), (processes.unlistedComebacks, "comebacks"), (processes.unlistedSpared, "spared")]
                .compactMap { count, what in count.map { "\($0) more \(what)" } }
            if !unlisted.isEmpty {
                lines.append("  not listed: \(unlisted.joined(separator: ", ")) (a report lists at most \(ProcessMeasurements.listLimit) "
                    + "signals and comebacks and \(ProcessMeasurements.sparedLimit) spared)")
            }
        }
        for condition in report.abortConditions ?? [] {
            let looks = condition.evaluations
            let passed = looks.filter(\.passed).count
            let last = looks.last.map { "; last: \($0.detail)" } ?? ""
            lines.append("  abort unless \(condition.condition): \(passed) of \(looks.count) look(s) passed\(last)")
        }
        if let guards = report.guards {
            lines.append("  guards:    \(guards)")
        }
        let cleanup = report.cleanup
        var undone = cleanup.undoneBy == .supervisor
            ? ["\(cleanup.workersReaped) worker(s) reaped \(cleanup.reapMilliseconds.fixed(1)) ms after the stop"]
            : ["undone by \(cleanup.undoneBy)", "\(cleanup.workersReaped) worker(s) killed"]
        undone += cleanup.cgroupsRemoved.map { "cgroup \($0) removed" }
        undone += cleanup.fillFoldersRemoved.map { "\($0) deleted" }
        if cleanup.ledgerRecordRemoved { undone.append("ledger record cleared") }
        lines.append("  cleanup:   " + undone.joined(separator: "; "))
        lines.append(cleanup.isClean
            ? "  verified:  nothing left behind"
            : "  LEFT BEHIND: " + cleanup.leftovers.joined(separator: "; ") + " — run `stressd cleanup`")
        lines.append("  report:    \(savedAt)")
        return lines.joined(separator: "\n")
    }

    /// What an I/O attack achieved against what it asked, and what the
    /// device saw meanwhile.
    static func describe(_ io: IOMeasurements) -> [String] {
        let asked = io.requestedBytesPerSecond.map { " of \(ByteCount(bytes: $0))/s asked" }
            ?? io.requestedOperationsPerSecond.map { " of \($0) IOPS asked" } ?? " (as fast as the device allows)"
        var lines = [
            "  achieved:  \(ByteCount(bytes: UInt64(io.bytesPerSecond)))/s, \(Int(io.operationsPerSecond.rounded())) IOPS\(asked) "
                + "over \(io.loadSeconds.fixed(1))s, \(io.direct ? "direct" : "buffered") I/O, \(io.workers) worker(s)",
            "  moved:     \(ByteCount(bytes: io.readBytes)) read, \(ByteCount(bytes: io.writtenBytes)) written "
                + "(\(io.readOperations) reads, \(io.writeOperations) writes) in \(ByteCount(bytes: io.workingSetBytes)) at \(io.directory); "
                + "laid out in \(io.layoutSeconds.fixed(2))s",
        ]
        if let p50 = io.latencyP50Microseconds, let p99 = io.latencyP99Microseconds, let max = io.latencyMaxMicroseconds {
            lines.append("  latency:   p50 \(p50.fixed(0)) µs, p99 \(p99.fixed(0)) µs, max \(max.fixed(0)) µs")
        }
        if let name = io.deviceName, let read = io.deviceReadBytes, let written = io.deviceWrittenBytes {
            let busy = io.deviceBusyPercent.map { ", busy \($0.fixed(0))% of the time" } ?? ""
            lines.append("  device:    \(name): \(ByteCount(bytes: read)) read, \(ByteCount(bytes: written)) written (all processes)\(busy)")
        }
        return lines
    }
}
