import Foundation
import StressAgent
import StressCore
import SystemPackage

/// Where a finished attack's report goes: the state directory always,
/// `--report FILE` when asked, and stdout as JSON or as a short summary.
struct ReportOutput {
    let json: Bool
    let file: String?
    let stateDirectory: FilePath

    func emit(_ report: AttackReport) throws {
        let saved = try ReportStore(stateDirectory: stateDirectory).save(report)
        let data = try ReportStore.encode(report)
        if let file {
            try data.write(to: URL(fileURLWithPath: file))
        }
        if json {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            print(Self.summary(report, savedAt: saved.string))
        }
    }

    static func summary(_ report: AttackReport, savedAt: String) -> String {
        var lines = ["\(report.id) \(report.outcome)"]
        if case .cpu(let cpu) = report.spec.parameters {
            lines.append("  asked:     \(cpu.load) \(cpu.mode == .total ? "in total" : "per core") on \(cpu.cores) core(s) for \(report.spec.duration.humanReadable)"
                + " (\(Terminal.percent(report.requestedLoadPerWorker)) per worker)")
        }
        if !report.workers.isEmpty {
            let each = report.workers.map { "pid \($0.pid) \(Terminal.percent($0.averageLoad))" }.joined(separator: ", ")
            let mean = report.workers.map(\.averageLoad).reduce(0, +) / Double(report.workers.count)
            lines.append("  achieved:  \(each) (mean \(Terminal.percent(mean)))")
        }
        let cleanup = report.cleanup
        var undone = ["\(cleanup.workersReaped) worker(s) reaped \(String(format: "%.1f", cleanup.reapMilliseconds)) ms after the stop"]
        undone += cleanup.cgroupsRemoved.map { "cgroup \($0) removed" }
        if cleanup.ledgerRecordRemoved { undone.append("ledger record cleared") }
        lines.append("  cleanup:   " + undone.joined(separator: "; "))
        lines.append(cleanup.isClean
            ? "  verified:  nothing left behind"
            : "  LEFT BEHIND: " + cleanup.leftovers.joined(separator: "; ") + " — run `stressd cleanup`")
        lines.append("  report:    \(savedAt)")
        return lines.joined(separator: "\n")
    }
}
