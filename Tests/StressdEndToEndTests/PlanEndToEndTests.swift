import Foundation
import Glibc
import TestSupport
import Testing

/// `--dry-run` on every kind as a user types it: the plan in text and JSON,
/// a failing abort condition exiting 2, and nothing created either way.
@Suite("plans before the blast, end to end", .serialized)
struct PlanEndToEndTests {
    func target(_ stressd: StressdBinary) throws -> String {
        let target = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }

    @Test func everyKindShowsItsWorkAndItsFloorsAndStartsNothing() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let target = try target(stressd)
        let cpu = try stressd.run(["cpu", "--load", "30%", "--cores", "1", "--max-load-avg", "64", "--dry-run"])
        #expect(cpu.status == 0, "\(cpu.stderr)")
        #expect(cpu.stdout.hasPrefix("dry run (nothing was started): cpu: 30% on 1 core(s)"), "\(cpu.stdout)")
        #expect(cpu.stdout.contains("work: 1 worker process(es), 30% of a core each"), "\(cpu.stdout)")
        #expect(cpu.stdout.contains("guard load-average: the 1-minute load average"), "\(cpu.stdout)")

        let mem = try decodeJSON(try stressd.run(["mem", "--size", "16M", "--dry-run", "--json"]).stdout)
        #expect(mem["dryRun"] as? Bool == true && mem["kind"] as? String == "mem")
        #expect((mem["footprint"] as? [String: Any])?["memoryBytes"] as? Int == 16 << 20)
        let floor = try #require((mem["floors"] as? [[String: Any]])?.first)
        let now = try #require(floor["now"] as? Double)
        let after = try #require(floor["afterAttack"] as? Double)
        #expect(floor["name"] as? String == "memory-floor" && now - after == Double(16 << 20))
        #expect(floor["margin"] as? Double == after - (floor["limit"] as? Double ?? 0))

        for (kind, arguments) in [("disk", ["--size", "1M"]), ("io", ["--size", "8M", "--workers", "2"])] {
            let result = try stressd.run([kind, "--path", target] + arguments + ["--dry-run", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let plan = try decodeJSON(result.stdout)
            let footprint = try #require(plan["footprint"] as? [String: Any])
            #expect(footprint["diskBytes"] as? Int == (kind == "disk" ? 1 << 20 : 8 << 20) && footprint["path"] as? String == target)
            #expect((plan["floors"] as? [[String: Any]])?.first?["name"] as? String == "disk-floor")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty, "a dry run writes nothing")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func aConditionFailingNowIsShownAndTheDryRunExits2() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let socket = try LoopbackSocket()
        let closed = "tcp 127.0.0.1:\(socket.port)"
        let text = try stressd.run(["cpu", "--load", "10%", "--dry-run", "--abort-unless", closed, "--abort-unless", "pressure memory some=99%"])
        #expect(text.status == 2, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("abort unless \(closed): FAILS now"), "\(text.stdout)")
        #expect(text.stdout.contains("abort unless pressure memory some=99%: holds now"), "\(text.stdout)")
        #expect(text.stdout.contains("would be refused: not started: the system is not in its steady state"), "\(text.stdout)")
        let json = try stressd.run(["cpu", "--load", "10%", "--dry-run", "--json", "--abort-unless", closed])
        #expect(json.status == 2)
        let plan = try decodeJSON(json.stdout)
        let condition = try #require((plan["abortConditions"] as? [[String: Any]])?.first)
        let look = try #require((condition["evaluations"] as? [[String: Any]])?.first)
        #expect(look["passed"] as? Bool == false && condition["condition"] as? String == closed && condition["source"] as? String == "request")
        #expect((plan["refusal"] as? String)?.contains(closed) == true)
        // Without --dry-run the same attack is refused, with the same reason, and nothing is created.
        let refused = try stressd.run(["cpu", "--load", "10%", "--duration", "5s", "--abort-unless", closed])
        #expect(refused.status == 2 && refused.stderr.contains("the condition '\(closed)' fails now"), "\(refused.stderr)")
        #expect(stressd.ledgerFiles.isEmpty)
    }
}
