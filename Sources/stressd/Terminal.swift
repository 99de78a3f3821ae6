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
        write(text + "\n")
    }

    func progress(_ progress: AttackProgress) {
        let left = Duration.milliseconds(Int64((progress.remaining.seconds * 10).rounded()) * 100)
        let line = "  \(progress.elapsed.fixed(1))s elapsed, \(left.humanReadable) left  \(progress.line)"
        write(isInteractive ? "\r\u{1B}[K" + line : line + "\n")
    }

    func endProgress() {
        if isInteractive { write("\n") }
    }

    private func write(_ text: String) {
        StandardStream.error.write(text)
    }

    /// What an attack is about to do, in one line.
    static func describe(_ spec: AttackSpec, limits: HostLimits) -> String {
        switch spec.parameters {
        case .cpu(let cpu):
            return "\(cpu.load) \(cpu.mode == .total ? "total " : "")on \(cpu.workerCount(capacity: limits.cpu)) core(s) "
                + "for \(spec.duration.humanReadable) (\(limits.cpu.description))"
        case .mem(let memory):
            let what: String
            switch memory.amount {
            case .size(let size, let base):
                let target = ByteCount(bytes: memory.targetBytes(limits.memory))
                if case .share = size { what = "hold \(target) (\(size) of \(base.rawValue))" } else { what = "hold \(target)" }
            case .fillTo(let share):
                what = "hold memory in use at \(share) of \(ByteCount(bytes: limits.memory.limit))"
            }
            return "\(what) for \(spec.duration.humanReadable) (\(ByteCount(bytes: limits.memory.available)) available)"
        case .disk(let disk):
            let free = limits.disk.map { " (\(ByteCount(bytes: $0.availableBytes)) free of \(ByteCount(bytes: $0.sizeBytes)))" } ?? ""
            let target = limits.disk.map { ByteCount(bytes: disk.targetBytes($0)).description } ?? "?"
            return "fill \(target) in \(disk.path)\(free) for \(spec.duration.humanReadable)"
        case .kill(let process):
            let every = process.interval.map { " every \($0.humanReadable)" } ?? ""
            return "\(process.signal) to \(DryRunOutput.describe(process.pick)) matching \(process.selector)\(every); "
                + "watching for comebacks for up to \(spec.duration.humanReadable)"
        case .pause(let process):
            return "pause \(DryRunOutput.describe(process.pick)) matching \(process.selector) for \(spec.duration.humanReadable)"
        }
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
