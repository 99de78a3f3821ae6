import Glibc
import LinuxHost
import StressCore
import SystemPackage

/// Undoes what one ledger record says exists, and checks that it is gone.
/// Shared by the supervisor's own cleanup and by every replay of the ledger,
/// so there is one way to undo an attack.
///
/// A record is trusted only as far as it could be stressd's own: undo
/// touches cgroups named `stressd-ID` under the cgroup mount, fill folders
/// named `.stressd-fill-ID` (reached without following links, see
/// `FillDirectory.reopen`), and processes that are still the recorded ones
/// and are not PID 1, stressd or its ancestors, or kernel threads. Whatever
/// else a record names is refused and reported, so even a forged record
/// cannot turn a replay against the host.
public struct AttackUndo: Sendable {
    public let procFS: ProcFS
    /// Where cgroups are mounted: a recorded cgroup outside it is refused.
    public let cgroupRoot: FilePath
    /// This boot's id: processes recorded under another boot are long gone.
    public let bootID: String

    public init(procFS: ProcFS, cgroupRoot: FilePath = CgroupFS().root, bootID: String) {
        self.procFS = procFS
        self.cgroupRoot = cgroupRoot
        self.bootID = bootID
    }

    /// Kills the recorded workers that are still the recorded processes,
    /// destroys the recorded cgroups (and anything left inside them) and
    /// deletes the recorded fill folders. Never
    /// signals a pid whose start time differs from the record. `layer` is
    /// who asks, for the result.
    public func undo(_ record: LedgerRecord, by layer: CleanupLayer) -> UndoResult {
        var result = UndoResult(id: record.id, layer: layer)
        if record.bootID == bootID {
            let protected = procFS.selfAndAncestors()
            for worker in record.workers {
                if let refusal = refusal(worker, protected: protected) {
                    result.errors.append("worker \(worker.pid) not signalled: \(refusal)")
                    continue
                }
                killIfSame(worker, into: &result)
            }
            for stopped in record.stoppedProcesses {
                if let refusal = refusal(stopped, protected: protected) {
                    result.errors.append("process \(stopped.pid) not resumed: \(refusal)")
                    continue
                }
                resumeIfSame(stopped, into: &result)
            }
        } else if !record.workers.isEmpty {
            result.notes.append("recorded under an earlier boot: its \(record.workers.count) worker(s) ended with that boot")
        }
        for path in record.cgroups {
            guard let cgroup = cgroup(path, of: record, into: &result), cgroup.exists else { continue }
            do {
                let killed = try cgroup.destroy()
                if killed > 0 { result.notes.append("killed \(killed) process(es) left in \(path)") }
                result.removedCgroups.append(path)
            } catch {
                result.errors.append("cannot remove cgroup \(path): \(error)")
            }
        }
        for folder in record.fillDirectories {
            do {
                guard let directory = try fillFolder(folder, of: record) else { continue }
                try directory.remove()
                result.removedFiles.append(folder.path)
            } catch {
                result.errors.append("cannot remove fill folder \(folder.path): \(error)")
            }
        }
        return result
    }

    /// Why a recorded process must not be signalled whatever the record
    /// says, or nil: the deny list's fixed part (PID 1, stressd and its
    /// ancestors, kernel threads).
    private func refusal(_ process: ProcessIdentity, protected: Set<Int32>) -> String? {
        if process.pid <= 1 { return "PID 1 (init) is never signalled" }
        if protected.contains(process.pid) { return "stressd itself and its ancestors are never signalled" }
        if (try? procFS.processStat(process.pid))?.isKernelThread == true { return "kernel threads are never signalled" }
        return nil
    }

    /// The recorded cgroup, if it is one stressd would have made for this
    /// record: `stressd-ID`, below the cgroup mount, no `..`.
    private func cgroup(_ path: String, of record: LedgerRecord, into result: inout UndoResult) -> AttackCgroup? {
        let filePath = FilePath(path)
        guard filePath.isAbsolute, filePath.lexicallyNormalized() == filePath,
              filePath.starts(with: cgroupRoot), filePath != cgroupRoot,
              filePath.lastComponent?.string == "stressd-\(record.id.rawValue)"
        else {
            result.errors.append("cgroup \(path) not removed: not a cgroup stressd makes for \(record.id) (stressd-\(record.id.rawValue) under \(cgroupRoot))")
            return nil
        }
        return AttackCgroup(path: filePath)
    }

    /// The recorded fill folder, if it is named for this record and is still
    /// the folder stressd made; nil when nothing is there.
    private func fillFolder(_ folder: FillFolderRecord, of record: LedgerRecord) throws(HostError) -> FillDirectory? {
        let expected = FillFolderRecord.folderName(for: record.id)
        guard FilePath(folder.path).lastComponent?.string == expected else {
            throw .untrusted(path: folder.path, reason: "is not named for \(record.id) (\(expected)): not a folder stressd makes")
        }
        return try FillDirectory.reopen(folder, expectedOwner: geteuid())
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
        for folder in record.fillDirectories {
            switch Result(catching: { () throws(HostError) in try fillFolder(folder, of: record) }) {
            case .success(nil): break
            case .success: found.append("fill folder \(folder.path) still exists")
            case .failure: break  // undo left it alone and said why
            }
        }
        return found
    }
}
