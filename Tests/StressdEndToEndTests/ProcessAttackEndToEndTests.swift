import Foundation
import Glibc
import LinuxHost
import Testing

/// A copy of /bin/sleep under a name no other process has, so `--name`
/// can only ever match processes this test started.
final class Victims {
    let directory: String
    let name: String
    private(set) var processes: [Process] = []

    init() throws {
        directory = NSTemporaryDirectory() + "stressd-victims-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        name = "sdv\(UInt32.random(in: 100_000 ... 999_999))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: "\(directory)/\(name)")
    }

    var executable: String { "\(directory)/\(name)" }

    /// Starts a victim; the argument makes each command line unique.
    @discardableResult
    func spawn(seconds: String = "30") throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [seconds]
        try process.run()
        processes.append(process)
        return process
    }

    /// A tiny supervisor that restarts the victim whenever it dies.
    func spawnRestarter() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "while :; do \"\(executable)\" 30; done"]
        try process.run()
        processes.append(process)
        return process
    }

    deinit {
        // SIGKILL what this test started: restarters first, then every victim
        // by its unique name, and only then wait (Foundation's wait also
        // waits for grandchildren that inherited its exit pipe).
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for pid in (try? ProcFS().processIDs()) ?? [] where (try? ProcFS().processStat(pid))?.command == name {
            kill(pid, SIGKILL)
        }
        for process in processes { process.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

func state(of pid: Int32) -> Character? {
    (try? ProcFS().processStat(pid))?.state
}

@Suite("stressd kill and pause, end to end", .serialized)
struct ProcessAttackEndToEndTests {
    @Test func killHitsTheRightProcessAndSparesTheOthers() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let victims = try Victims()
        let first = try victims.spawn(seconds: "31")
        let second = try victims.spawn(seconds: "32")
        let third = try victims.spawn(seconds: "33")
        usleep(100_000)

        let byPid = try stressd.run(["kill", "--pid", String(first.processIdentifier), "--duration", "1s", "--json"])
        let byMatch = try stressd.run(["kill", "--match", "\(victims.name) 32$", "--duration", "1s"])
        first.waitUntilExit()
        second.waitUntilExit()

        #expect(byPid.status == 0, "\(byPid.stderr)")
        #expect(byMatch.status == 0, "\(byMatch.stderr)")
        #expect(first.terminationStatus == SIGKILL)
        #expect(second.terminationStatus == SIGKILL)
        #expect(third.isRunning, "a process the selector did not match survives")
        let hits = try #require((try decodeJSON(byPid.stdout)["processes"] as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(hits.count == 1)
        #expect(hits.first?["delivered"] as? Bool == true)

        // A signal by number (the test runner's children inherit a mask that
        // blocks the catchable ones, so only KILL is sure to end them).
        let byName = try stressd.run(["kill", "--name", victims.name, "--signal", "9", "--duration", "1s"])
        third.waitUntilExit()
        #expect(byName.status == 0)
        #expect(third.terminationStatus == SIGKILL)
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func dryRunShowsTheTargetsAndTouchesNothing() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let victims = try Victims()
        let victim = try victims.spawn()
        usleep(100_000)

        let result = try stressd.run(["kill", "--name", victims.name, "--dry-run"])

        #expect(result.status == 0)
        #expect(result.stdout.contains("dry run"))
        #expect(result.stdout.contains(String(victim.processIdentifier)))
        #expect(result.stdout.contains("\(victims.executable) 30"))

        // Issue 14: --dry-run --json prints JSON.
        for kind in ["kill", "pause"] {
            let json = try stressd.run([kind, "--name", victims.name, "--dry-run", "--json"])
            #expect(json.status == 0, "\(json.stderr)")
            let plan = try decodeJSON(json.stdout)
            #expect(plan["dryRun"] as? Bool == true && plan["kind"] as? String == kind)
            let targets = try #require(plan["targets"] as? [String: Any])
            let eligible = try #require(targets["eligible"] as? [[String: Any]])
            #expect(eligible.compactMap { ($0["identity"] as? [String: Any])?["pid"] as? Int } == [Int(victim.processIdentifier)])
            #expect(targets["pick"] as? String == "1 random process")
        }
        usleep(100_000)
        #expect(victim.isRunning)
        #expect(state(of: victim.processIdentifier) == "S", "a dry run stops nothing")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func pauseStopsAndResumesAtTheDeadline() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let victims = try Victims()
        let victim = try victims.spawn()
        usleep(100_000)
        let (process, out, err) = try stressd.start(["pause", "--name", victims.name, "--duration", "1500ms"])
        // Looked at until it is stopped, within the attack's time box: a
        // busy machine may take a while to start it, never to end it early.
        var during = state(of: victim.processIdentifier)
        for _ in 0..<140 where during != "T" {
            usleep(10_000)
            during = state(of: victim.processIdentifier)
        }

        let result = StressdBinary.finish(process, out, err)
        usleep(50_000)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(during == "T")
        #expect(state(of: victim.processIdentifier) == "S")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    /// With its watchdog dead too (the watchdog's own tests are in
    /// WatchdogEndToEndTests), the ledger is what undoes it.
    @Test func aPauseLeftByASIGKILLedSupervisorIsResumedByCleanup() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let victims = try Victims()
        let victim = try victims.spawn()
        usleep(100_000)
        let (process, out, err) = try stressd.start(["pause", "--pid", String(victim.processIdentifier), "--duration", "20s"])
        let deadline = Date().addingTimeInterval(5)
        while state(of: victim.processIdentifier) != "T", Date() < deadline { usleep(10_000) }
        #expect(state(of: victim.processIdentifier) == "T")

        try stressd.killWatchdog(of: try stressd.waitForRecord(workers: 0))
        kill(process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(process, out, err)
        #expect(state(of: victim.processIdentifier) == "T", "with its watchdog dead, nothing resumes it but the ledger")

        let cleanup = try stressd.run(["cleanup"])

        #expect(cleanup.status == 0, "\(cleanup.stderr)")
        #expect(cleanup.stdout.contains("resumed paused process(es) \(victim.processIdentifier)"))
        #expect(state(of: victim.processIdentifier) == "S")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func intervalKillsRecordEachKillAndEachComeback() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let victims = try Victims()
        _ = try victims.spawnRestarter()
        usleep(200_000)

        let result = try stressd.run(["kill", "--name", victims.name, "--interval", "500ms", "--duration", "2s", "--json"])

        #expect(result.status == 0, "\(result.stderr)")
        let processes = try #require(try decodeJSON(result.stdout)["processes"] as? [String: Any])
        let hits = try #require(processes["hits"] as? [[String: Any]])
        let comebacks = try #require(processes["comebacks"] as? [[String: Any]])
        #expect(hits.filter { $0["delivered"] as? Bool == true }.count >= 3)
        #expect(comebacks.count >= 3, "the restarter brought the victim back after each kill")
        let killedPIDs = Set(hits.compactMap { ($0["process"] as? [String: Any])?["identity"] as? [String: Any] }.compactMap { $0["pid"] as? Int })
        #expect(killedPIDs.count == hits.count, "each round killed the new process, not a stale pid")
        for comeback in comebacks {
            #expect((comeback["secondsAfterKill"] as? Double ?? 99) < 1)
        }
        expectCleanedUp(try decodeJSON(result.stdout), stressd)
    }

    @Test("the deny list refuses with exit 2", arguments: ["1", "2", "self"])
    func denyList(target: String) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        // "self": the test runner, an ancestor of the stressd it starts.
        let pid = target == "self" ? String(getpid()) : target
        if target == "2" { try #require((try? ProcFS().processStat(2))?.isKernelThread == true) }

        let result = try stressd.run(["kill", "--pid", pid])

        #expect(result.status == 2)
        #expect(result.stderr.contains("never"))
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func aSelectorThatMatchesNothingFailsUnlessAllowed() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let none = try stressd.run(["kill", "--name", "sdv-none-here"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("--allow-none"))
        let allowed = try stressd.run(["kill", "--name", "sdv-none-here", "--allow-none", "--duration", "1s"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }
}
