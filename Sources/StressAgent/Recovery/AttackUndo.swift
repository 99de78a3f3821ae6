import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// Undoes what one ledger record says exists, and checks that it is gone.
/// Shared by the supervisor's own cleanup and by every replay of the ledger,
/// so there is one way to undo an attack.
public struct AttackUndo: Sendable {
    public let procFS: ProcFS
    /// This boot's id: processes recorded under another boot are long gone.
    public let bootID: String

    public init(procFS: ProcFS, bootID: String) {
        self.procFS = procFS
        self.bootID = bootID
    }

    /// Kills the recorded workers that are still the recorded processes,
    /// destroys the recorded cgroups (and anything left inside them) and
    /// deletes the recorded fill folders. Never
    /// signals a pid whose start time differs from the record.
    public func undo(_ record: LedgerRecord) -> UndoResult {
        var result = UndoResult(id: record.id)
        if record.bootID == bootID {
            for worker in record.workers {
                killIfSame(worker, into: &result)
            }
            for stopped in record.stoppedProcesses {
                resumeIfSame(stopped, into: &result)
            }
        } else if !record.workers.isEmpty {
            result.notes.append("recorded under an earlier boot: its \(record.workers.count) worker(s) ended with that boot")
        }
        for path in record.cgroups {
            let cgroup = AttackCgroup(path: FilePath(path))
            guard cgroup.exists else { continue }
            do {
                let killed = try cgroup.destroy()
                if killed > 0 { result.notes.append("killed \(killed) process(es) left in \(path)") }
                result.removedCgroups.append(path)
            } catch {
                result.errors.append("cannot remove cgroup \(path): \(error)")
            }
        }
        for path in record.fillDirectories {
            let directory = FillDirectory(path: FilePath(path))
            guard directory.exists else { continue }
            do {
                try directory.remove()
                result.removedFiles.append(path)
            } catch {
                result.errors.append("cannot remove fill folder \(path): \(error)")
            }
        }
        return result
    }

    /// SIGCONT to a process a pause stopped, if it is still that process.
    /// Sending it to one that is not stopped is harmless, so this does not
    /// check the state first (which would race with the supervisor).
    private func resumeIfSame(_ process: ProcessIdentity, into result: inout UndoResult) {
        do {
            switch try ProcessHandle.send(SIGCONT, to: process, procFS: procFS) {
            case .gone:
                break
            case .reused(let startTime):
                result.notes.append("pid \(process.pid) now belongs to another process (start \(startTime), recorded \(process.startTime)); not signalled")
            case .delivered:
                result.resumedProcesses.append(process.pid)
            }
        } catch {
            result.errors.append("cannot resume \(process.pid): \(error)")
        }
    }

    private func killIfSame(_ worker: ProcessIdentity, into result: inout UndoResult) {
        do {
            switch try ProcessHandle.open(worker, procFS: procFS) {
            case .gone:
                break
            case .reused(let startTime):
                result.notes.append("pid \(worker.pid) now belongs to another process (start \(startTime), recorded \(worker.startTime)); not signalled")
            case .alive(let handle):
                try handle.send(SIGKILL)
                if handle.waitForExit(timeoutMilliseconds: 1000) {
                    result.killedWorkers.append(worker.pid)
                } else {
                    result.errors.append("worker \(worker.pid) did not exit within 1s of SIGKILL")
                }
            }
        } catch {
            result.errors.append("cannot stop worker \(worker.pid): \(error)")
        }
    }

    /// What of the record still exists: live recorded workers and cgroup
    /// directories. Empty means the attack left nothing behind.
    public func leftovers(of record: LedgerRecord) -> [String] {
        var found: [String] = []
        if record.bootID == bootID {
            for worker in record.workers {
                if case .alive = (try? ProcessHandle.open(worker, procFS: procFS)) {
                    found.append("worker \(worker) still running")
                }
            }
        }
        if record.bootID == bootID {
            for stopped in record.stoppedProcesses {
                if case .alive = (try? ProcessHandle.open(stopped, procFS: procFS)),
                   (try? procFS.processStat(stopped.pid))?.state == "T" {
                    found.append("process \(stopped) still stopped")
                }
            }
        }
        for path in record.cgroups where Directory.exists(FilePath(path)) {
            found.append("cgroup \(path) still exists")
        }
        for path in record.fillDirectories where Directory.exists(FilePath(path)) {
            found.append("fill folder \(path) still exists")
        }
        return found
    }
}

/// What undoing one attack did, for `stressd cleanup` and the reports.
public struct UndoResult: Codable, Hashable, Sendable {
    public var id: AttackID
    public var killedWorkers: [Int32] = []
    public var removedCgroups: [String] = []
    /// Fill folders deleted.
    public var removedFiles: [String] = []
    /// Paused processes sent SIGCONT.
    public var resumedProcesses: [Int32] = []
    /// Things worth knowing that are not failures (a reused pid left alone).
    public var notes: [String] = []
    public var errors: [String] = []

    public init(id: AttackID) {
        self.id = id
    }

    public var didSomething: Bool {
        !killedWorkers.isEmpty || !removedCgroups.isEmpty || !removedFiles.isEmpty || !resumedProcesses.isEmpty
    }
}
