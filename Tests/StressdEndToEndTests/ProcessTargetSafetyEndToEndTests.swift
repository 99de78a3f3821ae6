import Foundation
import Glibc
import LinuxHost
import Testing

/// Issue 12, finding 8: what `stressd kill` and `pause` refuse to aim at or
/// to send, whatever the selector says, and what `--dry-run` says about a
/// container's processes. Every process signalled is one this test started.
@Suite("stressd kill and pause: targets and signals refused", .serialized)
struct ProcessTargetSafetyEndToEndTests {
    /// Kill never stops a process: 19 to 22 by number or by name, and CONT,
    /// are bad input (exit 2) and nothing is signalled.
    @Test("stop-type signals are refused", arguments: ["20", "21", "22", "19", "18", "TSTP", "SIGTTIN", "STOP"])
    func stopTypeSignals(signal: String) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let victims = try Victims()
        let victim = try victims.spawn()
        usleep(100_000)

        let result = try stressd.run(["kill", "--pid", String(victim.processIdentifier), "--signal", signal, "--duration", "1s"])

        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("stressd pause"))
        usleep(100_000)
        #expect(victim.isRunning)
        #expect(state(of: victim.processIdentifier) == "S", "not stopped")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    /// Issue 14: an empty selector is bad input (exit 2) naming the flag, for
    /// every selector and both kinds, before any process is looked at (an
    /// empty --match would otherwise match every process).
    @Test("an empty selector is bad input", arguments: [
        ("kill", "name"), ("pause", "name"), ("kill", "match"), ("pause", "match"),
        ("kill", "unit"), ("pause", "unit"), ("kill", "cgroup"), ("pause", "cgroup"),
    ])
    func emptySelectors(kind: String, selector: String) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        for dryRun in [[], ["--dry-run"]] {
            let result = try stressd.run([kind, "--\(selector)", "", "--duration", "1s"] + dryRun)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains(selector) && !result.stderr.contains("matches no process"), "\(result.stderr)")
            #expect(!result.stderr.contains("may not be hit"), "refused before any process is looked at: \(result.stderr)")
        }
        #expect(stressd.ledgerFiles.isEmpty)
    }

    /// Issue 14: a pause by name `stressd` paused another attack's workers.
    /// stressd never attacks stressd: another attack's supervisor, workers
    /// and watchdog are spared, by name or by pattern, and nothing is stopped.
    @Test func stressdNeverAttacksStressd() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (running, out, err) = try stressd.start(["cpu", "--load", "10%", "--cores", "1", "--duration", "20s"])
        let record = try stressd.waitForRecord(workers: 1)
        let worker = try #require((record["workers"] as? [[String: Any]])?.first)
        let watchdog = try #require(record["watchdog"] as? [String: Any])
        let other = try StressdBinary()
        defer { other.remove() }

        let byName = try other.run(["pause", "--name", "stressd", "--duration", "1s"])
        #expect(byName.status == 2, "\(byName.stderr)")
        #expect(byName.stderr.contains("stressd never attacks stressd"), "\(byName.stderr)")
        // This attack's own processes only: its worker names its supervisor,
        // its watchdog (and the supervisor) the state directory.
        let pattern = "--parent \(running.processIdentifier)|--state-dir \(stressd.stateDirectory)"
        let byPattern = try other.run(["kill", "--match=\(pattern)", "--dry-run", "--duration", "1s"])
        #expect(byPattern.status == 2, "\(byPattern.stderr)")
        #expect(byPattern.stderr.contains("stressd never attacks stressd"), "\(byPattern.stderr)")
        let byPid = try other.run(["pause", "--pid", String(try #require(watchdog["pid"] as? Int)), "--duration", "1s"])
        #expect(byPid.status == 2 && byPid.stderr.contains("stressd never attacks stressd"), "\(byPid.stderr)")
        for process in [worker, watchdog] {
            #expect(isLive(process))
            #expect((try? ProcFS().processStat(Int32(process["pid"] as? Int ?? 0)))?.state != "T", "a stressd process was stopped")
        }
        #expect(other.ledgerFiles.isEmpty)

        kill(running.processIdentifier, SIGTERM)
        let result = StressdBinary.finish(running, out, err)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    /// A second thread's id, which /proc answers for although it lists only
    /// processes, is refused by kill and pause alike.
    @Test func aThreadIDIsNotAProcess() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", "import threading,time; threading.Thread(target=time.sleep,args=(30,)).start(); time.sleep(30)"]
        try python.run()
        defer {
            kill(python.processIdentifier, SIGKILL)
            python.waitUntilExit()
        }
        let pid = python.processIdentifier
        var threads: [Int32] = []
        let deadline = Date().addingTimeInterval(5)
        while threads.count < 2, Date() < deadline {
            usleep(20_000)
            threads = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).compactMap { Int32($0) }
        }
        let thread = try #require(threads.first { $0 != pid }, "python started its second thread")

        for kind in ["kill", "pause"] {
            let result = try stressd.run([kind, "--pid", String(thread), "--duration", "1s"])
            #expect(result.status == 2, "\(kind): \(result.stderr)")
            #expect(result.stderr.contains("thread of process \(pid)"), "\(kind): \(result.stderr)")
        }
        #expect(python.isRunning)
        #expect(state(of: pid) == "S", "not stopped")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    /// A process in a new pid namespace (as in a container) may be hit and
    /// `--dry-run` says where it lives; the namespace's init is protected
    /// unless `--allow-protected`.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
    func aContainersProcessesAreNamedAndItsInitProtected() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let victims = try Victims()
        let container = Process()
        container.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        // --kill-child: the namespace's init, and with it everything inside, dies with unshare.
        container.arguments = ["--pid", "--fork", "--kill-child", "/bin/sh", "-c", "\"\(victims.executable)\" 30 & wait"]
        try container.run()
        defer {
            kill(container.processIdentifier, SIGKILL)
            container.waitUntilExit()
        }
        let found = Date().addingTimeInterval(5)
        while !(((try? ProcFS().processCandidates()) ?? []).contains { $0.command == victims.name }), Date() < found { usleep(20_000) }

        let inside = try stressd.run(["kill", "--name", victims.name, "--dry-run"])
        #expect(inside.status == 0, "\(inside.stderr)")
        #expect(inside.stdout.contains("in another pid namespace (pid:["), "\(inside.stdout)")
        #expect(inside.stdout.contains("pid 2 inside it"), "\(inside.stdout)")

        let initSelector = ["--match", "^/bin/sh -c .*\(victims.name)"]
        let refused = try stressd.run(["kill"] + initSelector + ["--dry-run"])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("init of another pid namespace"), "\(refused.stderr)")
        let allowed = try stressd.run(["kill"] + initSelector + ["--dry-run", "--allow-protected"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("pid 1 inside it"), "\(allowed.stdout)")
        #expect(container.isRunning, "a dry run touches nothing")
        #expect(stressd.ledgerFiles.isEmpty)
    }
}
