import Foundation
import Glibc
import LinuxHost
import Testing

/// `stressd mem` as a user runs it. At most 256 MiB held by any test.
@Suite("stressd mem, end to end", .serialized)
struct MemoryAttackEndToEndTests {
    static let mebibyte: UInt64 = 1 << 20

    @Test func holdsTheMemoryResidentAndGivesItBack() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }

        let result = try stressd.run(["mem", "--size", "256M", "--duration", "2s", "--json"])

        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        #expect((report["outcome"] as? [String: Any])?["status"] as? String == "completed")
        let memory = try #require(report["memory"] as? [String: Any])
        let peak = try #require(memory["peakHeldBytes"] as? UInt64)
        #expect(peak >= 250 * Self.mebibyte, "RSS reached \(peak) bytes of 256 MiB")
        #expect(memory["secondsToTarget"] as? Double != nil)
        let cleanup = try #require(report["cleanup"] as? [String: Any])
        #expect((cleanup["leftovers"] as? [String])?.isEmpty == true)
        for cgroup in cleanup["cgroupsRemoved"] as? [String] ?? [] {
            #expect(!FileManager.default.fileExists(atPath: cgroup))
        }
        #expect(stressd.ledgerFiles.isEmpty)
    }

    /// Inside a 1 GiB cgroup "available" is the limit minus the cgroup's
    /// usage: exact, where the host's MemAvailable drifts by hundreds of MiB
    /// on a VM.
    @Test(.enabled(if: MemoryLimitedCgroup.isAvailable, "needs root and a memory cgroup controller"))
    func availableMemoryDropsAndComesBack() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let cgroup = try #require(MemoryLimitedCgroup(limitBytes: 1 << 30))

        let result = try stressd.run(["mem", "--size", "256M", "--duration", "2s", "--json"], inside: cgroup.command)

        #expect(result.status == 0, "\(result.stderr)")
        let memory = try #require(try decodeJSON(result.stdout)["memory"] as? [String: Any])
        let before = try #require(memory["availableBeforeBytes"] as? UInt64)
        let lowest = try #require(memory["availableLowestBytes"] as? UInt64)
        let after = try #require(memory["availableAfterBytes"] as? UInt64)
        #expect(before > 900 * Self.mebibyte && before < 1024 * Self.mebibyte, "available in the cgroup: \(before)")
        #expect(lowest + 250 * Self.mebibyte <= before, "the hog took its 256 MiB: \(before) → \(lowest)")
        #expect(after + 32 * Self.mebibyte >= before, "and gave it back: \(before) before, \(after) after")
        expectCleanedUp(try decodeJSON(result.stdout), stressd)
    }

    @Test func aRateRampsTheHogUpGradually() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }

        let result = try stressd.run(["mem", "--size", "192M", "--rate", "128M/s", "--lock", "--duration", "3s", "--json"])

        #expect(result.status == 0, "\(result.stderr)")
        let memory = try #require(try decodeJSON(result.stdout)["memory"] as? [String: Any])
        let seconds = try #require(memory["secondsToTarget"] as? Double)
        #expect(seconds >= 1.2 && seconds <= 2.5, "192 MiB at 128 MiB/s takes about 1.5 s, took \(seconds)")
        #expect(memory["locked"] as? Bool == true)
        let samples = try #require(memory["samples"] as? [[String: Any]])
        let early = samples.first { ($0["elapsed"] as? Double ?? 0) > 0.6 }?["residentBytes"] as? UInt64 ?? 0
        #expect(early < 160 * Self.mebibyte, "still ramping after 0.6 s: \(early)")
        expectCleanedUp(try decodeJSON(result.stdout), stressd)
    }

    @Test func theHogVolunteersForTheOOMKiller() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["mem", "--size", "32M", "--duration", "10s", "--json"])
        let record = try stressd.waitForRecord(workers: 1)
        let worker = try #require((record["workers"] as? [[String: Any]])?.first)
        let pid = try #require(worker["pid"] as? Int)
        usleep(300_000)
        let score = try String(contentsOfFile: "/proc/\(pid)/oom_score_adj", encoding: .utf8)
        let supervisorScore = try String(contentsOfFile: "/proc/\(process.processIdentifier)/oom_score_adj", encoding: .utf8)

        kill(process.processIdentifier, SIGTERM)
        let result = StressdBinary.finish(process, out, err)

        #expect(score.trimmingCharacters(in: .whitespacesAndNewlines) == "1000")
        // Lowering needs CAP_SYS_RESOURCE, which some sandboxes drop; never above the hog's.
        let supervisor = try #require(Int(supervisorScore.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(supervisor <= 0)
        #expect(result.status == 0)
        // Issue 14: the report says what the supervisor's score was, and why where lowering was refused.
        let memory = try #require(try decodeJSON(result.stdout)["memory"] as? [String: Any])
        #expect(memory["supervisorOOMScoreAdjustment"] as? Int == supervisor)
        if supervisor == -900 {
            #expect(memory["supervisorOOMScoreNote"] == nil)
        } else {
            #expect((memory["supervisorOOMScoreNote"] as? String)?.contains("CAP_SYS_RESOURCE") == true)
        }
        #expect(!isLive(worker))
        #expect(stressd.ledgerFiles.isEmpty)
    }

    /// Issue 14 (fault trials): a hog SIGKILLed by someone else was reported
    /// as OOM-killed; where the cgroup counts OOM kills, it is a failure
    /// that says who it was not.
    @Test func aHogKilledBySomeoneElseIsNotAnOOMKill() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["mem", "--size", "16M", "--duration", "20s", "--json"])
        let record = try stressd.waitForRecord(workers: 1)
        guard !(record["cgroups"] as? [String] ?? []).isEmpty else { return }  // no cgroup here: nothing counts OOM kills
        let hog = try #require((record["workers"] as? [[String: Any]])?.first)
        usleep(300_000)
        kill(try #require(hog["pid"] as? Int32), SIGKILL)

        let result = StressdBinary.finish(process, out, err)

        #expect(result.status == 1, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        let outcome = try #require(report["outcome"] as? [String: Any])
        #expect(outcome["status"] as? String == "failed", "\(outcome)")
        #expect((outcome["reason"] as? String)?.contains("not the OOM killer") == true, "\(outcome)")
        expectCleanedUp(report, stressd)
    }

    /// Issue 14: without CAP_SYS_RESOURCE (root in many containers) the
    /// supervisor cannot lower its own oom_score_adj; the report says so
    /// and why, and the attack runs as usual.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func withoutCapSysResourceTheReportSaysTheSupervisorCouldNotLowerItsScore() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let dropped = { (executable: String, arguments: [String]) in
            ("/usr/bin/setpriv", ["--inh-caps=-sys_resource", "--bounding-set=-sys_resource", executable] + arguments)
        }
        let result = try stressd.run(["mem", "--size", "16M", "--duration", "1s", "--json"], inside: dropped)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        let memory = try #require(report["memory"] as? [String: Any])
        #expect((memory["supervisorOOMScoreAdjustment"] as? Int ?? -1000) >= 0, "\(memory)")
        #expect((memory["supervisorOOMScoreNote"] as? String)?.contains("CAP_SYS_RESOURCE") == true, "\(memory)")
        let human = try stressd.run(["report", try #require(report["id"] as? String)])
        #expect(human.stdout.contains("oom score: supervisor 0, hog 1000: could not lower it"), "\(human.stdout)")
        expectCleanedUp(report, stressd)
    }

    /// In a 1 GiB cgroup, so "available" does not drift with the host's.
    @Test(.enabled(if: MemoryLimitedCgroup.isAvailable, "needs root and a memory cgroup controller"))
    func aGuardStopsTheAttackWhenSomethingElseTakesTheMemory() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let cgroup = try #require(MemoryLimitedCgroup(limitBytes: 1 << 30))
        // Removed once both runs below are over, even when an expectation
        // ends the test early: a cgroup left behind fails the next test's.
        defer { withExtendedLifetime(cgroup) {} }
        // A 64 MiB hog with a 600 MiB floor fits; then another process in
        // the cgroup takes 400 MiB and the cgroup crosses the floor.
        let (process, out, err) = try stressd.start(
            ["mem", "--size", "64M", "--floor", "600M", "--duration", "20s", "--json"], inside: cgroup.command)
        defer { process.endIfRunning(SIGTERM) }  // SIGTERM: it cleans up
        let record = try stressd.waitForRecord(workers: 1)
        let hog = try #require((record["workers"] as? [[String: Any]])?.first)
        usleep(300_000)
        let (other, otherOut, otherErr) = try stressd.start(
            ["mem", "--size", "400M", "--floor", "0", "--duration", "2s"], inside: cgroup.command)
        defer { other.endIfRunning(SIGTERM) }
        let started = Date()
        // Issue 14: from the breach being observable (the cgroup's usage
        // leaves less than the floor) to the hog gone, at most 250 ms. The
        // breach came after the last look that saw none while the hog still
        // lived (once it is gone the usage is below the floor again): from
        // there, an upper bound. The looks run at a higher priority than the
        // two threads populating `other`'s 400 MiB, which once kept them
        // from looking until the hog was gone. (On Linux a nice value is the
        // calling thread's alone; across cgroup v2 cpu controllers it weighs
        // only within this test's cgroup.)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let nice = getpriority(which, 0)
        setpriority(which, 0, -10)
        var lastClear = started
        var stoppedAt: Date?
        while Date().timeIntervalSince(started) < 5, stoppedAt == nil {
            let lookedAt = Date()
            let clear = cgroup.usageBytes.map { $0 <= (1 << 30) - 600 * Self.mebibyte } ?? false
            if !isLive(hog) {
                stoppedAt = Date()
            } else if clear {
                lastClear = lookedAt
            }
            usleep(1_000)
        }
        setpriority(which, 0, nice)
        let latency = try #require(stoppedAt, "the hog ran on").timeIntervalSince(lastClear)
        #expect(latency < 0.25, "breach to hog stopped: at most \(Int(latency * 1000)) ms")

        let result = StressdBinary.finish(process, out, err)

        #expect(result.status == 1, "a tripped guard exits 1")
        #expect(Date().timeIntervalSince(started) < 5)
        let report = try decodeJSON(result.stdout)
        let outcome = try #require(report["outcome"] as? [String: Any])
        let reap = try #require((report["cleanup"] as? [String: Any])?["reapMilliseconds"] as? Double)
        // The guard reads at 10 Hz: breach seen within 100 ms, then this.
        #expect(reap < 150, "from the breach read to the hog reaped: \(reap) ms")
        #expect(outcome["status"] as? String == "guard-tripped")
        #expect(outcome["guard"] as? String == "memory-floor")
        #expect((outcome["reason"] as? String)?.contains("below the floor") == true)
        #expect(StressdBinary.finish(other, otherOut, otherErr).status == 0)
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func sigkilledSupervisorsHogDiesAndCleanupUndoesTheRest() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["mem", "--size", "64M", "--duration", "20s"])
        let record = try stressd.waitForRecord(workers: 1)
        let workers = try #require(record["workers"] as? [[String: Any]])

        kill(process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(process, out, err)

        let deadline = Date().addingTimeInterval(1)
        while workers.contains(where: isLive), Date() < deadline { usleep(10_000) }
        #expect(!workers.contains(where: isLive))
        let cleanup = try stressd.run(["cleanup"])
        #expect(cleanup.status == 0)
        for cgroup in record["cgroups"] as? [String] ?? [] {
            #expect(!FileManager.default.fileExists(atPath: cgroup))
        }
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test(.enabled(if: MemoryLimitedCgroup.isAvailable, "needs root and a memory cgroup controller"))
    func anOOMKilledHogEndsTheAttackAsOOMKilledAndLeavesNothing() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let cgroup = try #require(MemoryLimitedCgroup(limitBytes: 160 << 20))
        // Everything the limit leaves, for a hog whose own runtime does not fit too.
        let (process, out, err) = try stressd.start(
            ["mem", "--size", "100%", "--floor", "0", "--duration", "10s", "--json"], inside: cgroup.command)

        let result = StressdBinary.finish(process, out, err)

        #expect(result.status == 1, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        let outcome = try #require(report["outcome"] as? [String: Any])
        #expect(outcome["status"] as? String == "oom-killed", "\(outcome)")
        let kills = try #require((report["memory"] as? [String: Any])?["oomKills"] as? [[String: Any]])
        #expect(kills.count == 1)
        #expect(((report["cleanup"] as? [String: Any])?["leftovers"] as? [String])?.isEmpty == true)
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test(.enabled(if: MemoryLimitedCgroup.isAvailable, "needs root and a memory cgroup controller"))
    func respawnKeepsThePressureOnWithinTheTimeBox() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let cgroup = try #require(MemoryLimitedCgroup(limitBytes: 160 << 20))
        let (process, out, err) = try stressd.start(
            ["mem", "--size", "100%", "--floor", "0", "--respawn", "--duration", "3s", "--json"], inside: cgroup.command)

        let result = StressdBinary.finish(process, out, err)

        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        #expect((report["outcome"] as? [String: Any])?["status"] as? String == "completed")
        let kills = try #require((report["memory"] as? [String: Any])?["oomKills"] as? [[String: Any]])
        #expect(kills.count >= 2, "the hog was killed and respawned")
        #expect(((report["cleanup"] as? [String: Any])?["leftovers"] as? [String])?.isEmpty == true)
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test(.enabled(if: MemoryLimitedCgroup.isAvailable, "needs root and a memory cgroup controller"))
    func fillToShrinksTheHogWhenSomethingElseGrows() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let cgroup = try #require(MemoryLimitedCgroup(limitBytes: 512 << 20))
        let (filler, fillerOut, fillerErr) = try stressd.start(
            ["mem", "--fill-to", "50%", "--floor", "0", "--duration", "5s", "--json"], inside: cgroup.command)
        usleep(1_500_000)

        // Another process in the same cgroup takes 96 MiB.
        let other = try stressd.run(["mem", "--size", "96M", "--floor", "0", "--duration", "2s"], inside: cgroup.command)
        let result = StressdBinary.finish(filler, fillerOut, fillerErr)

        #expect(other.status == 0, "\(other.stderr)")
        #expect(result.status == 0, "\(result.stderr)")
        let samples = try #require((try decodeJSON(result.stdout)["memory"] as? [String: Any])?["samples"] as? [[String: Any]])
        let targets = samples.compactMap { sample -> (Double, UInt64)? in
            guard let elapsed = sample["elapsed"] as? Double, let target = sample["targetBytes"] as? UInt64 else { return nil }
            return (elapsed, target)
        }
        let before = try #require(targets.filter { $0.0 > 0.8 && $0.0 < 1.4 }.map(\.1).max())
        let during = try #require(targets.filter { $0.0 > 2.3 && $0.0 < 3.3 }.map(\.1).min())
        #expect(before > 180 << 20, "the hog filled the cgroup to about half: \(before)")
        #expect(before - during >= 64 << 20, "the hog gave way: \(before) before, \(during) while the other ran")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test("bad memory input exits 2 and starts nothing", arguments: [
        ["--size=-1G"], ["--size", "12XB"], ["--size", "101%"], [], ["--size", "1G", "--fill-to", "90%"],
        ["--size", "1P"], ["--size", "1G", "--of", "nothing"], ["--fill-to", "100%"], ["--fill-to", "1%", "--of", "total"],
        ["--fill-to", "1e30%"],  // found by make fuzz: trapped printing its own error
    ])
    func badInput(arguments: [String]) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }

        let result = try stressd.run(["mem", "--duration", "2s"] + arguments)

        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.lowercased().contains("error"))
        #expect(stressd.ledgerFiles.isEmpty)
    }
}
