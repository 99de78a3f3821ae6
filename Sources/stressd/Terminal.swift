import FoundationEssentials
import LinuxHost
import Glibc
import StressAgent
import StressCore

/// Human output on stderr: notes and live progress. On a terminal, progress
/// rewrites one line; in a pipe or log, it prints one line per sample.
struct Terminal: Sendable {
    let isInteractive = isatty(STDERR_FILENO) == 1

    func note(_ text: String) {
        write(TerminalText.printable(text) + "\n")
    }

    func progress(_ progress: AttackProgress) {
        let left = Duration.milliseconds(Int64((progress.remaining.seconds * 10).rounded()) * 100)
        let line = "  \(progress.elapsed.fixed(1))s elapsed, \(left.humanReadable) left  \(TerminalText.printable(progress.line))"
        write(isInteractive ? "\r\u{1B}[K" + line : line + "\n")
    }

    func endProgress() {
        if isInteractive { write("\n") }
    }

    private func write(_ text: String) {
        StandardStream.error.write(text)
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
        if !result.resumedProcesses.isEmpty {
            parts.append("resumed paused process(es) \(result.resumedProcesses.map(String.init).joined(separator: ", "))")
        }
        if !result.removedFiles.isEmpty {
            parts.append("deleted fill folder \(result.removedFiles.joined(separator: ", "))")
        }
        parts += result.notes
        parts += result.errors.map { "FAILED: \($0)" }
        return parts.isEmpty ? "nothing was still running; record cleared" : parts.joined(separator: "; ")
    }
}
