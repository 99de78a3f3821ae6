import Foundation
import Glibc
import LinuxHost
import Testing

/// What happens when the supervisor itself dies mid-attack.
@Suite("Crash safety, end to end", .serialized)
struct CrashSafetyEndToEndTests {
    /// The watchdog is the layer that needs no one to run anything: the
    /// record is undone within a second of the supervisor's death.
    @Test func sigkilledSupervisorIsUndoneByItsWatchdog() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["cpu", "--load", "30%", "--cores", "2", "--duration", "20s"])
        let record = try stressd.waitForRecord(workers: 2)
        let workers = try #require(record["workers"] as? [[String: Any]])
        let watchdog = try #require(record["watchdog"] as? [String: Any])
        let cgroups = record["cgroups"] as? [String] ?? []
        let id = try #require(record["id"] as? String)
        #expect(isLive(watchdog))

        kill(process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(process, out, err)

        let undone = stressd.seconds(until: { stressd.ledgerFiles.isEmpty && !workers.contains(where: isLive) })
        #expect(undone != nil && undone! < 1, "undone after \(undone.map { "\($0)s" } ?? "more than 2s")")
        for cgroup in cgroups {
            #expect(!FileManager.default.fileExists(atPath: cgroup), "\(cgroup) left")
        }
        #expect(stressd.seconds(until: { !isLive(watchdog) }) != nil, "the watchdog exits once it has undone the record")
        let report = try stressd.run(["report", id, "--json"])
        let saved = try decodeJSON(report.stdout)
        #expect((saved["outcome"] as? [String: Any])?["status"] as? String == "failed", "its supervisor died: \(report.stdout)")
        let cleanup = saved["cleanup"] as? [String: Any]
        #expect(cleanup?["undoneBy"] as? String == "watchdog", "\(report.stdout)")
        #expect(cleanup?["leftovers"] as? [String] == [])
        let human = try stressd.run(["report", id])
        #expect(human.stdout.contains("its supervisor (pid \(process.processIdentifier)"), "\(human.stdout)")
        #expect(human.stdout.contains("undone by its cleanup watchdog"), "\(human.stdout)")
    }

    /// If the watchdog dies with its supervisor, the older layers still
    /// undo the record: status shows it orphaned, cleanup undoes it.
    @Test func whenTheWatchdogDiesTooCleanupStillUndoesTheRest() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["cpu", "--load", "30%", "--cores", "2", "--duration", "20s"])
        let record = try stressd.waitForRecord(workers: 2)
        let workers = try #require(record["workers"] as? [[String: Any]])
        let cgroups = record["cgroups"] as? [String] ?? []

        try stressd.killWatchdog(of: record)
        kill(process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(process, out, err)

        // PDEATHSIG: the workers follow their supervisor within a second.
        let deadline = Date().addingTimeInterval(1)
        while workers.contains(where: isLive), Date() < deadline { usleep(10_000) }
        #expect(!workers.contains(where: isLive), "workers outlived their SIGKILLed supervisor")
        #expect(stressd.ledgerFiles.count == 1, "the record stays for cleanup")

        let status = try stressd.run(["status"])
        #expect(status.stdout.contains("orphaned"))

        let cleanup = try stressd.run(["cleanup"])
        #expect(cleanup.status == 0, "\(cleanup.stderr)")
        let id = try #require(record["id"] as? String)
        #expect(cleanup.stdout.contains(id))
        for cgroup in cgroups {
            #expect(cleanup.stdout.contains("removed cgroup \(cgroup)"))
            #expect(!FileManager.default.fileExists(atPath: cgroup))
        }
        #expect(stressd.ledgerFiles.isEmpty)

        let again = try stressd.run(["cleanup"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("nothing to undo"))
    }

    /// The watchdog must outlive whatever stops a session or a service's
    /// cgroup politely: it ignores SIGTERM, SIGINT and SIGHUP, and still
    /// undoes the attack when its supervisor then dies.
    @Test func theWatchdogIgnoresTheSignalsThatEndASessionAndStillUndoes() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["cpu", "--load", "20%", "--cores", "1", "--duration", "20s"])
        let record = try stressd.waitForRecord(workers: 1)
        let watchdog = try #require(record["watchdog"] as? [String: Any])
        let workers = try #require(record["workers"] as? [[String: Any]])
        let pid = try #require(watchdog["pid"] as? Int32)
        for signal in [SIGTERM, SIGINT, SIGHUP] { kill(pid, signal) }
        usleep(300_000)
        #expect(isLive(watchdog), "a polite signal stopped the watchdog")

        kill(process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(process, out, err)
        #expect(stressd.seconds(until: { stressd.ledgerFiles.isEmpty && !workers.contains(where: isLive) }) != nil, "the watchdog undid the attack")
    }

    /// With its supervisor hung (SIGSTOPped: its control pipe stays open)
    /// and no watchdog, each worker still ends itself one second past the
    /// attack's deadline: the last layer needs nothing else alive.
    @Test func aWorkerEndsItselfPastTheDeadlineWhenNothingElseCan() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["cpu", "--load", "20%", "--cores", "1", "--duration", "3s"])
        let record = try stressd.waitForRecord(workers: 1)
        let workers = try #require(record["workers"] as? [[String: Any]])
        try stressd.killWatchdog(of: record)
        kill(process.processIdentifier, SIGSTOP)
        defer { kill(process.processIdentifier, SIGCONT) }
        usleep(600_000)
        #expect(workers.contains(where: isLive), "not before the deadline: the pipe is still open")
        #expect(stressd.seconds(until: { !workers.contains(where: isLive) }, timeout: 6) != nil, "the worker outlived its own deadline")

        kill(process.processIdentifier, SIGCONT)
        _ = StressdBinary.finish(process, out, err)
        #expect(stressd.ledgerFiles.isEmpty, "the supervisor, back, removed its record")
    }

    @Test func stopAsksTheSupervisorToEndItsAttack() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["cpu", "--load", "20%", "--duration", "20s", "--json"])
        let record = try stressd.waitForRecord(workers: 1)
        let id = try #require(record["id"] as? String)

        let status = try stressd.run(["status", "--json"])
        #expect(status.stdout.contains("\"running\""))

        let stop = try stressd.run(["stop", id])
        let attack = StressdBinary.finish(process, out, err)

        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.stdout.contains("stopped by its supervisor"))
        #expect(attack.status == 0)
        #expect(attack.stdout.contains("\"stopped\""))
        #expect(stressd.ledgerFiles.isEmpty)
        let unknown = try stressd.run(["stop", id])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("stressd status"))
    }

    @Test func usageErrorsOfTheOtherCommandsExit2() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        #expect(try stressd.run(["stop"]).status == 2)
        #expect(try stressd.run(["stop", "../../etc"]).status == 2)
        #expect(try stressd.run(["no-such-command"]).status == 2)
        let help = try stressd.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit codes"))
    }
}

@Suite("stressd cleanup never hits a reused pid", .serialized)
struct ReusedPidEndToEndTests {
    @Test func aPlantedRecordWhosePidWasReusedIsNotSignalled() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        // An unrelated process this test owns, standing in for "whoever got the pid".
        let bystander = Process()
        bystander.executableURL = URL(fileURLWithPath: "/bin/sleep")
        bystander.arguments = ["30"]
        try bystander.run()
        defer {
            kill(bystander.processIdentifier, SIGKILL)
            bystander.waitUntilExit()
        }
        let pid = bystander.processIdentifier
        let startTime = try ProcFS().processStat(pid).startTime
        let bootID = try ProcFS().bootID()
        let record = """
            {"id": "cpu-0badc0de", "bootID": "\(bootID)",
             "spec": {"kind": "cpu", "load": "50%", "cores": 1, "duration": "30s", "mode": "added"},
             "supervisor": {"pid": \(pid), "startTime": \(startTime - 2)},
             "workers": [{"pid": \(pid), "startTime": \(startTime - 1)}], "cgroups": [], "fillDirectories": [], "stoppedProcesses": [],
             "startedAt": "2026-01-01T00:00:00Z", "deadline": "2026-01-01T00:00:30Z"}
            """
        try FileManager.default.createDirectory(atPath: stressd.stateDirectory + "/ledger", withIntermediateDirectories: true)
        try Data(record.utf8).write(to: URL(fileURLWithPath: stressd.stateDirectory + "/ledger/cpu-0badc0de.json"))

        let cleanup = try stressd.run(["cleanup"])

        #expect(cleanup.status == 0, "\(cleanup.stderr)")
        #expect(cleanup.stdout.contains("now belongs to another process"))
        usleep(100_000)
        #expect(bystander.isRunning, "cleanup signalled a process that merely reused a recorded pid")
        #expect(stressd.ledgerFiles.isEmpty)
    }
}
