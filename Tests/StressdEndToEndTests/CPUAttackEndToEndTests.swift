import Foundation
import Glibc
import Testing

/// The real binary, as a user runs it. Small, short attacks only.
@Suite("stressd cpu, end to end", .serialized)
struct CPUAttackEndToEndTests {
    @Test func appliesTheLoadAndLeavesNothingBehind() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }

        let result = try stressd.run([
            "cpu", "--load", "50%", "--cores", "2", "--duration", "3s", "--json",
            "--report", "\(stressd.stateDirectory)/report.json",
        ])

        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        #expect((report["outcome"] as? [String: Any])?["status"] as? String == "completed")
        let cpu = try #require(report["cpu"] as? [String: Any])
        let workers = try #require(cpu["workers"] as? [[String: Any]])
        #expect(workers.count == 2)
        for worker in workers {
            let load = try #require(worker["averageLoad"] as? Double)
            #expect(abs(load - 0.5) < 0.03, "worker load \(load) should be 50% ± 3 points over 3 s")
            #expect(!isLive(worker))
        }
        let cleanup = try #require(report["cleanup"] as? [String: Any])
        #expect((cleanup["leftovers"] as? [String])?.isEmpty == true)
        #expect(cleanup["ledgerRecordRemoved"] as? Bool == true)
        for cgroup in cleanup["cgroupsRemoved"] as? [String] ?? [] {
            #expect(!FileManager.default.fileExists(atPath: cgroup))
        }
        #expect(stressd.ledgerFiles.isEmpty)
        let id = try #require(report["id"] as? String)
        #expect(FileManager.default.fileExists(atPath: "\(stressd.stateDirectory)/reports/\(id).json"))
        #expect(result.stderr.contains("load per core"), "live progress goes to stderr")
        let written = try String(contentsOfFile: "\(stressd.stateDirectory)/report.json", encoding: .utf8)
        #expect(try decodeJSON(written)["id"] as? String == id)
        let again = try stressd.run(["report", id])
        #expect(again.status == 0)
        #expect(again.stdout.contains("\(id) completed"))
        #expect(again.stdout.contains("verified:  nothing left behind"))
        #expect(try decodeJSON(try stressd.run(["report", id, "--json"]).stdout)["id"] as? String == id)
        #expect(try stressd.run(["report", "cpu-00000000"]).status == 1)
        #expect(try stressd.run(["report", "../etc/passwd"]).status == 2)
        // Issue 17: the reports kept, as a table and as JSON.
        let list = try stressd.run(["report", "--list"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["ID", "KIND", "STARTED", "DURATION", "OUTCOME", "CLEANUP"])
        let fields = lines.count == 2 ? lines[1].split(separator: " ", omittingEmptySubsequences: true).map(String.init) : []
        #expect(fields.count == 6 && fields[0] == id && fields[1] == "cpu" && fields[4...] == ["completed", "verified"], "\(list.stdout)")
        #expect(fields.count == 6 && ["3s", "4s"].contains(fields[3]), "a 3 s attack, in whole seconds: \(list.stdout)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(try stressd.run(["report", "--list", "--json"]).stdout.utf8)) as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id] && listed.first?["cleanupVerified"] as? Bool == true)
        #expect(try stressd.run(["report"]).status == 2, "neither an id nor --list")
        #expect(try stressd.run(["report", id, "--list"]).status == 2, "both")
        // The chart: a CPU attack's panel of requested against achieved cores.
        let chart = "\(stressd.stateDirectory)/chart.svg"
        #expect(try stressd.run(["report", id, "--svg", chart]).status == 0)
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(svg.contains("<g class=\"panel\" data-title=\"CPU load of the attack\">") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("data-name=\"requested\"") && svg.contains("data-name=\"achieved\""))
        #expect(try stressd.run(["report", "--list", "--svg", chart]).status == 2, "one chart per report")
        // A link planted where the chart goes is refused, not written through.
        let planted = "\(stressd.stateDirectory)/planted.svg"
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: "\(stressd.stateDirectory)/target")
        #expect(try stressd.run(["report", id, "--svg", planted]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: "\(stressd.stateDirectory)/target"))
    }

    @Test("bad input exits 2 and starts nothing", arguments: [
        ["--load", "0"], ["--load", "150%"], ["--load", "abc"], ["--duration=-3s"], ["--duration", "5x"],
        ["--duration", "30"], ["--cores", "99"], ["--cores", "0"], ["--duration", "2h"], ["--bogus"],
        ["--max-load-avg", "inf"], ["--max-load-avg", "nan"], ["--max-load-avg", "0"],
    ])
    func badInput(arguments: [String]) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }

        let result = try stressd.run(["cpu"] + arguments)

        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
        #expect(stressd.ledgerFiles.isEmpty)
        #expect(result.stdout.isEmpty)
    }

    @Test func badInputMessagesSayWhatToDo() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let cores = try stressd.run(["cpu", "--cores", "99"])
        #expect(cores.stderr.contains("--cores all or a number up to"))
        let load = try stressd.run(["cpu", "--load", "150%"])
        #expect(load.stderr.contains("from 1% to 100%"))
    }

    /// `--cpus` (issue 15): each worker runs on its own CPU of the list, as
    /// the kernel reports its affinity; a CPU outside stressd's mask is
    /// refused before anything starts, naming the mask.
    @Test func cpusPinsEachWorkerAndRefusesCPUsOutsideTheMask() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let allowed = try #require(try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }?.split(separator: "\t").last.map(String.init))
        let last = try #require(allowed.split(whereSeparator: { $0 == "," || $0 == "-" }).last.map(String.init))
        let (process, out, err) = try stressd.start(["cpu", "--load", "20%", "--cpus", last, "--duration", "2s", "--json"])
        let record = try stressd.waitForRecord(workers: 1)
        let worker = try #require((record["workers"] as? [[String: Any]])?.first?["pid"] as? Int)
        let status = try String(contentsOfFile: "/proc/\(worker)/status", encoding: .utf8)
        #expect(status.contains("Cpus_allowed_list:\t\(last)\n"), "worker \(worker) is not pinned to CPU \(last)")
        let result = StressdBinary.finish(process, out, err)
        #expect(result.status == 0, "\(result.stderr)")
        expectCleanedUp(try decodeJSON(result.stdout), stressd)

        // Narrowed to one CPU by taskset, stressd may not pin to another.
        let narrowed = try stressd.run(["cpu", "--cpus", "0-1", "--duration", "2s"]) { executable, arguments in
            ("/usr/bin/taskset", ["-c", "0", executable] + arguments)
        }
        #expect(narrowed.status == 2, "\(narrowed.stderr)")
        #expect(narrowed.stderr.contains("stressd may run on CPUs 0 (its affinity mask)"), "\(narrowed.stderr)")
        let both = try stressd.run(["cpu", "--cpus", "0", "--cores", "1", "--duration", "2s"])
        #expect(both.status == 2 && both.stderr.contains("not both"), "\(both.stderr)")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func sigtermStopsTheAttackPromptlyAndCleansUp() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (process, out, err) = try stressd.start(["cpu", "--load", "30%", "--cores", "2", "--duration", "20s", "--json"])
        let record = try stressd.waitForRecord(workers: 2)
        let started = Date()

        kill(process.processIdentifier, SIGTERM)
        let result = StressdBinary.finish(process, out, err)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 3)
        let report = try decodeJSON(result.stdout)
        let outcome = try #require(report["outcome"] as? [String: Any])
        #expect(outcome["status"] as? String == "stopped")
        #expect(outcome["reason"] as? String == "SIGTERM")
        let cleanup = try #require(report["cleanup"] as? [String: Any])
        let reap = try #require(cleanup["reapMilliseconds"] as? Double)
        #expect(reap < 50, "workers reaped \(reap) ms after SIGTERM")
        #expect((cleanup["leftovers"] as? [String])?.isEmpty == true)
        for worker in record["workers"] as? [[String: Any]] ?? [] {
            #expect(!isLive(worker))
        }
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func theLoadAverageGuardStopsACPUAttack() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        // The kernel updates the load average every 5 s; a full burn lifts it
        // above 0.01 at the first update even on an idle host.
        let started = Date()
        let result = try stressd.run(["cpu", "--load", "100%", "--cores", "all", "--max-load-avg", "0.01", "--duration", "12s", "--json"])
        #expect(Date().timeIntervalSince(started) < 8)

        #expect(result.status == 1)
        let outcome = try #require(try decodeJSON(result.stdout)["outcome"] as? [String: Any])
        #expect(outcome["status"] as? String == "guard-tripped")
        #expect(outcome["guard"] as? String == "load-average")
        #expect((try decodeJSON(result.stdout)["guards"] as? [String: Any])?["maxLoadAverage"] as? Double == 0.01)
        expectCleanedUp(try decodeJSON(result.stdout), stressd)
    }

    @Test func totalModeHoldsTheHostAtTheTarget() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }

        let result = try stressd.run(["cpu", "--load", "40%", "--cores", "all", "--total", "--duration", "4s", "--json"])

        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        let samples = try #require((report["cpu"] as? [String: Any])?["samples"] as? [[String: Any]])
        let busy = samples.dropFirst().compactMap { $0["scopeBusyCores"] as? Double }
        #expect(!busy.isEmpty)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let mean = busy.reduce(0, +) / Double(busy.count)
        #expect(abs(mean - 0.4 * cores) < 0.3 * cores, "host busy \(mean) cores, target \(0.4 * cores)")
        expectCleanedUp(report, stressd)
    }

    /// Issues 14 and 15: inside a CPU-limited cgroup `--total` measures the
    /// cgroup, not the host. With another process of the cgroup burning 30 %
    /// of its one-core quota, and one outside it burning 50 % of a core,
    /// `--total --load 60%` tops up by about 30 %: added mode would burn 60 %
    /// whatever else runs, and a host meter would count the outside load.
    @Test(.enabled(if: CPULimitedCgroup.isAvailable, "needs root and a cpu cgroup controller"))
    func totalModeInACPULimitedCgroupTopsUpWhatTheCgroupAlreadyUses() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let cgroup = try #require(CPULimitedCgroup(cores: 1))
        let competitor = try StressdBinary()
        defer { competitor.remove() }
        let (other, otherOut, otherErr) = try competitor.start(
            ["cpu", "--load", "30%", "--cores", "1", "--duration", "9s"], inside: cgroup.command)
        _ = try competitor.waitForRecord(workers: 1)
        let outsider = try StressdBinary()
        defer { outsider.remove() }
        let (outside, outsideOut, outsideErr) = try outsider.start(["cpu", "--load", "50%", "--cores", "1", "--duration", "9s"])
        _ = try outsider.waitForRecord(workers: 1)
        usleep(500_000)

        let result = try stressd.run(["cpu", "--load", "60%", "--total", "--duration", "6s", "--json"], inside: cgroup.command)

        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        let samples = try #require((report["cpu"] as? [String: Any])?["samples"] as? [[String: Any]])
        let settled = samples.filter { ($0["elapsed"] as? Double ?? 0) > 2.5 }
        let loads = settled.compactMap { ($0["workerLoads"] as? [Double])?.reduce(0, +) }
        let busy = settled.compactMap { $0["scopeBusyCores"] as? Double }
        #expect(!loads.isEmpty && !busy.isEmpty)
        let ours = loads.reduce(0, +) / Double(max(loads.count, 1))
        let scope = busy.reduce(0, +) / Double(max(busy.count, 1))
        #expect(abs(ours - 0.3) < 0.12, "our workers burned \(ours) of a core, the top-up is 0.3")
        #expect(abs(scope - 0.6) < 0.12, "the cgroup was busy \(scope) cores, the target is 0.6")
        #expect(result.stderr.contains("cgroup busy"), "the progress line names what it measures")
        expectCleanedUp(report, stressd)
        kill(other.processIdentifier, SIGTERM)
        #expect(StressdBinary.finish(other, otherOut, otherErr).status == 0)
        kill(outside.processIdentifier, SIGTERM)
        #expect(StressdBinary.finish(outside, outsideOut, outsideErr).status == 0)
    }
}
