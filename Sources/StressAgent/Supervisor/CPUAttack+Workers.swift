import Foundation
import Glibc
import LinuxHost
import StressCore
import SystemPackage

extension CPUAttack {
    /// A spawned worker and the supervisor's end of its control pipe.
    struct Worker: Sendable {
        let process: ChildProcess
        let identity: ProcessIdentity
        let control: ControlPipe
    }

    /// How a worker ended and what it achieved.
    struct EndedWorker {
        let pid: Int32
        let averageLoad: Double
        let exit: String
    }

    func ownIdentity() throws(AgentError) -> ProcessIdentity {
        do {
            return try environment.procFS.processStat(getpid()).identity
        } catch {
            throw .host(error)
        }
    }

    func planCgroup() -> AttackCgroup? {
        guard let membership = try? environment.procFS.cgroupMembership() else { return nil }
        return AttackCgroup.plan(
            name: "stressd-\(id.rawValue)", controller: "cpu",
            cgroupFS: environment.cgroupFS, membership: membership)
    }

    /// Creates the attack's cgroup. Where that is not allowed (no cgroup
    /// mount, a read-only one, no permission) the attack runs without one and
    /// the record forgets it; workers are still tracked by identity.
    func createCgroup(_ cgroup: AttackCgroup?, record: inout LedgerRecord) throws(AgentError) {
        guard let cgroup else { return }
        do {
            try cgroup.create()
        } catch {
            record.cgroups.removeAll()
            try environment.ledger.write(record)
        }
    }

    /// Spawns the workers one by one. Each waits for `go` on its control
    /// pipe, so none works before its identity is in the ledger.
    func spawnWorkers(load: Double, deadline: UInt64, cgroup: AttackCgroup?, record: inout LedgerRecord) async throws(AgentError) -> [Worker] {
        var workers: [Worker] = []
        let workerDeadline = deadline + UInt64(workerDeadlineSlack.seconds * 1e9)
        for _ in 0..<cpu.workerCount(capacity: capacity) {
            do {
                let control = try ControlPipe()
                let arguments = [
                    "worker", "cpu", "--load", String(load),
                    "--deadline", String(workerDeadline), "--parent", String(getpid()),
                ]
                let process = try await ChildProcess.spawn(
                    executable: environment.workerExecutable, arguments: arguments, standardInput: control.childEnd)
                control.closeChildEnd()
                // Until it is in the ledger it must not run: if this fails, kill it now.
                let identity: ProcessIdentity
                do {
                    identity = try environment.procFS.processStat(process.pid).identity
                    if !record.cgroups.isEmpty, let cgroup { try cgroup.add(process.pid) }
                } catch {
                    kill(process.pid, SIGKILL)
                    _ = process.reap()
                    throw error
                }
                workers.append(Worker(process: process, identity: identity, control: control))
                record.workers.append(identity)
                try environment.ledger.write(record)
            } catch let error as HostError {
                stopWorkersQuietly(workers)
                throw .host(error)
            } catch let error as AgentError {
                stopWorkersQuietly(workers)
                throw error
            } catch {
                stopWorkersQuietly(workers)
                throw .ledger(reason: "\(error)")
            }
        }
        return workers
    }

    private func stopWorkersQuietly(_ workers: [Worker]) {
        _ = stopWorkers(workers, baselineTicks: [], since: MonotonicClock.now())
    }

    /// Kills the workers (SIGKILL: a CPU burner holds nothing to flush),
    /// reads their final CPU time, and reaps them.
    func stopWorkers(_ workers: [Worker], baselineTicks: [UInt64], since start: UInt64) -> [EndedWorker] {
        for worker in workers {
            kill(worker.process.pid, SIGKILL)
            worker.control.close()
        }
        let wall = Double(MonotonicClock.now() - start) / 1e9
        return workers.enumerated().map { index, worker in
            // A killed child stays a zombie until reaped; its stat keeps its CPU time.
            let total = (try? environment.procFS.processStat(worker.process.pid))?.cpuTicks ?? 0
            let ticks = total &- (index < baselineTicks.count ? baselineTicks[index] : total)
            let termination = worker.process.reap()
            let average = wall > 0 ? Double(ticks) / SystemConstants.clockTicksPerSecond / wall : 0
            let exit = termination.map { $0 == .signaled(signal: SIGKILL) ? "stopped by supervisor" : $0.description } ?? "already reaped"
            return EndedWorker(pid: worker.process.pid, averageLoad: average, exit: exit)
        }
    }
}
