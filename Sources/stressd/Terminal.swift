import Foundation
import Glibc
import StressAgent
import StressCore

/// Human output on stderr: notes and live progress. On a terminal, progress
/// rewrites one line; in a pipe or log, it prints one line per sample.
struct Terminal: Sendable {
    let isInteractive = isatty(STDERR_FILENO) == 1

    func note(_ text: String) {
        write(text + "\n")
    }

    func progress(_ sample: CPUSample, remaining: Duration, total: Duration) {
        let loads = sample.workerLoads.map { Self.percent($0) }.joined(separator: " ")
        let left = Duration.milliseconds(Int64((remaining.seconds * 10).rounded()) * 100)
        var line = "  \(Self.seconds(sample.elapsed)) elapsed, \(left.humanReadable) left  "
            + "load per core: \(loads)  (target \(Self.percent(sample.targetPerWorker)))"
        if let busy = sample.scopeBusyCores {
            line += "  host busy: \(String(format: "%.2f", busy)) cores"
        }
        write(isInteractive ? "\r\u{1B}[K" + line : line + "\n")
    }

    func endProgress() {
        if isInteractive { write("\n") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.1fs", value)
    }

    /// One line saying what undoing an attack did.
    static func describe(_ result: UndoResult) -> String {
        var parts: [String] = []
        if !result.killedWorkers.isEmpty {
            parts.append("killed worker(s) \(result.killedWorkers.map(String.init).joined(separator: ", "))")
        }
        if !result.removedCgroups.isEmpty {
            parts.append("removed cgroup \(result.removedCgroups.joined(separator: ", "))")
        }
        parts += result.notes
        parts += result.errors.map { "FAILED: \($0)" }
        return parts.isEmpty ? "nothing was still running; record cleared" : parts.joined(separator: "; ")
    }
}
