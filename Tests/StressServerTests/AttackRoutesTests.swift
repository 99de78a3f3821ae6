import Foundation
import Hummingbird
import HummingbirdTesting
import LinuxHost
import StressAgent
import StressCore
import StressServer
import TestSupport
import Testing

/// The API as an orchestrator uses it, through Hummingbird's router test
/// client, over an agent running disk fills in a temp folder.
@Suite("HTTP API: /v1/attacks", .serialized)
struct AttackRoutesTests: APITesting {
    @Test func startListInspectRenewAndStop() async throws {
        try await withAPI { client, target in
            let body = #"{"kind": "disk", "path": "\#(target)", "size": "4M", "duration": "30s", "lease": "5s"}"#
            let created = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(created.status == .created)
            let id = try #require(try json(created)["id"] as? String)
            #expect(id.hasPrefix("disk-"))

            let list = try await client.execute(uri: "/v1/attacks", method: .get, headers: auth)
            #expect(list.status == .ok)
            #expect(String(buffer: list.body).contains(id))

            let renewed = try await client.execute(uri: "/v1/attacks/\(id)/lease", method: .post, headers: auth)
            #expect(renewed.status == .ok)
            #expect((try json(renewed)["leaseSecondsLeft"] as? Double ?? 0) > 4)

            let stopped = try await client.execute(uri: "/v1/attacks/\(id)", method: .delete, headers: auth)
            #expect(stopped.status == .ok)
            #expect((try json(stopped)["outcome"] as? [String: Any])?["status"] as? String == "stopped")

            let finished = try await client.execute(uri: "/v1/attacks/\(id)", method: .get, headers: auth)
            #expect(try json(finished)["state"] as? String == "finished")

            let host = try await client.execute(uri: "/v1/host", method: .get, headers: auth)
            #expect(host.status == .ok)
            #expect((try json(host)["memory"] as? [String: Any])?["totalBytes"] != nil)
            #expect(try await client.execute(uri: "/v1/reports/disk-00000000", method: .get, headers: auth).status == .notFound)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: auth).body)
            #expect(metrics.contains(#"stressd_attacks_total{kind="disk",outcome="stopped"} 1"#))
            #expect(metrics.contains(#"stressd_attacks_active{kind="disk"} 0"#))
            #expect(metrics.contains(#"stressd_cleanup_duration_seconds_count 1"#))
            // The families the README lists for the host and the agent itself.
            for family in ["stressd_guard_trips_total", "stressd_host_load_average", "process_cpu_seconds_total", "process_resident_memory_bytes"] {
                #expect(metrics.contains("# TYPE \(family) "), "\(family) missing from /metrics")
            }
            let sample = try Regex(#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+]+$"#)
            for line in metrics.split(separator: "\n") where !line.hasPrefix("#") {
                #expect(line.wholeMatch(of: sample) != nil, "not Prometheus text: \(line)")
            }
            let saved = try await client.execute(uri: "/v1/reports/\(id)", method: .get, headers: auth)
            #expect(saved.status == .ok)
            #expect(try json(saved)["id"] as? String == id)
            // Issue 17: the reports kept, as summaries (`report --list --agent`).
            let kept = try TestAPI.list(try await client.execute(uri: "/v1/reports", method: .get, headers: auth))
            #expect(kept.map { $0["id"] as? String } == [id])
            #expect(kept.first?["state"] as? String == "finished" && kept.first?["cleanupVerified"] as? Bool == true)
            #expect(try await client.execute(uri: "/v1/reports?limit=1", method: .get, headers: auth).status == .badRequest)
            // Every /v1 route refuses a query parameter it does not know (400), as openapi.yaml says.
            let routes: [(HTTPRequest.Method, String)] = [
                (.get, "/v1/attacks/\(id)"), (.delete, "/v1/attacks/\(id)"), (.post, "/v1/attacks/\(id)/lease"), (.post, "/v1/plans"),
                (.get, "/v1/reports/\(id)"), (.get, "/v1/reports/\(id).svg"), (.get, "/v1/host"),
            ]
            for (method, uri) in routes {
                #expect(try await client.execute(uri: uri + "?x=1", method: method, headers: auth).status == .badRequest, "\(method) \(uri)")
            }
            #expect(try await client.execute(uri: "/v1/reports", method: .get).status == .unauthorized)
        }
    }

    /// Issue 12, finding 8: the list holds summaries, not reports, so its
    /// size does not grow with each report's timeline and hits; the report
    /// stays one GET away.
    @Test func theListSummarizesAndTheAttackKeepsItsReport() async throws {
        try await withAPI { client, target in
            let body = #"{"kind": "disk", "path": "\#(target)", "size": "1M", "duration": "30s"}"#
            let created = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            let id = try #require(try json(created)["id"] as? String)
            #expect(try await client.execute(uri: "/v1/attacks/\(id)", method: .delete, headers: auth).status == .ok)

            let list = try await client.execute(uri: "/v1/attacks", method: .get, headers: auth)
            let entries = try TestAPI.list(list)
            let entry = try #require(entries.first { $0["id"] as? String == id })
            #expect(entry["report"] == nil && entry["spec"] == nil, "a summary, not the report: \(entry.keys.sorted())")
            #expect(entry["kind"] as? String == "disk" && entry["state"] as? String == "finished")
            #expect((entry["outcome"] as? [String: Any])?["status"] as? String == "stopped")
            #expect(entry["cleanupVerified"] as? Bool == true && entry["startedAt"] != nil && entry["endedAt"] != nil)
            #expect(list.body.readableBytes < 1024, "\(list.body.readableBytes) bytes for one attack")

            let full = try await client.execute(uri: "/v1/attacks/\(id)", method: .get, headers: auth)
            #expect((try json(full)["report"] as? [String: Any])?["timeline"] != nil)
        }
    }

    @Test func metricsWatchTheFilledFileSystemAndTheHostCPU() async throws {
        try await withAPI { client, target in
            let body = #"{"kind": "disk", "path": "\#(target)", "size": "4M", "duration": "30s", "lease": "60s"}"#
            let created = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            let id = try #require(try json(created)["id"] as? String)
            let during = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: auth).body)
            #expect(during.contains(#"stressd_host_disk_available_bytes{path="\#(target)"} "#), "\(during)")
            #expect(during.contains(#"stressd_host_cpu_seconds_total{mode="busy"} "#))
            #expect(during.contains(#"stressd_host_cpu_seconds_total{mode="idle"} "#))
            #expect(during.contains(#"stressd_attacks_active{kind="disk"} 1"#))
            #expect(during.contains(#"stressd_attack_lease_seconds_left{id="\#(id)",kind="disk"} "#))
            #expect(during.contains("# HELP stressd_attacks_active Attacks running now.\n# TYPE stressd_attacks_active gauge\n"))
            // The fill reports its level once a second: requested and achieved bytes.
            var level = ""
            for _ in 0..<40 where !level.contains("stressd_attack_achieved{") {
                try await Task.sleep(for: .milliseconds(100))
                level = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: auth).body)
            }
            #expect(level.contains(#"stressd_attack_requested{id="\#(id)",kind="disk",unit="bytes"} 4194304.0"#), "\(level)")
            #expect(level.contains(#"stressd_attack_achieved{id="\#(id)",kind="disk",unit="bytes"} 4194304.0"#), "\(level)")
            _ = try await client.execute(uri: "/v1/attacks/\(id)", method: .delete, headers: auth)
            let after = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: auth).body)
            #expect(!after.contains("stressd_host_disk_available_bytes"), "no fill, no watched path")
            #expect(!after.contains(id), "an ended attack's series go: \(after)")
        }
    }

    @Test func theTokenIsRequiredEverywhereButHealth() async throws {
        try await withAPI { client, _ in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let none = try await client.execute(uri: "/v1/attacks", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.contentType] == "application/problem+json")
            #expect(none.headers[.wwwAuthenticate] == #"Bearer realm="stressd""#)
            let wrong = try await client.execute(uri: "/v1/attacks", method: .get, headers: [.authorization: "Bearer \(TestAPI.token.dropLast())N"])
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test func errorsAreProblemDetailsWithTheRightStatus() async throws {
        try await withAPI { client, target in
            let invalid = try await client.execute(
                uri: "/v1/attacks", method: .post, headers: auth,
                body: ByteBuffer(string: #"{"kind": "cpu", "load": "150%", "duration": "10s"}"#))
            #expect(invalid.status == .unprocessableContent)
            let problem = try json(invalid)
            #expect(problem["field"] as? String == "load")
            #expect((problem["detail"] as? String)?.contains("from 1% to 100%") == true)

            let unknownKey = try await client.execute(
                uri: "/v1/attacks", method: .post, headers: auth,
                body: ByteBuffer(string: #"{"kind": "cpu", "lod": "50%", "duration": "10s"}"#))
            #expect(unknownKey.status == .unprocessableContent)
            #expect(try json(unknownKey)["field"] as? String == "lod")

            let missing = try await client.execute(uri: "/v1/attacks/disk-00000000", method: .get, headers: auth)
            #expect(missing.status == .notFound)

            let fill = #"{"kind": "disk", "path": "\#(target)", "size": "4M", "duration": "30s"}"#
            #expect(try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: fill)).status == .created)
            let again = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: fill))
            #expect(again.status == .conflict)

            let huge = ByteBuffer(string: "{\"kind\": \"cpu\", \"pad\": \"" + String(repeating: "x", count: 64 << 10) + "\"}")
            #expect(try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: huge).status == .contentTooLarge)

            let halted = try await client.execute(uri: "/v1/attacks", method: .delete, headers: auth)
            #expect(halted.status == .ok)
            #expect(String(buffer: halted.body).contains("halted through the API"))
        }
    }

    @Test func anAgentShuttingDownAnswers503AndStartsNothing() async throws {
        try await TestAPI.with(running: false) { api in
            try await api.agent.running {}  // the service body ran and ended
            let (agent, target) = (api.agent, api.target)
            try await api.test { client in
                let fill = #"{"kind": "disk", "path": "\#(target)", "size": "4M", "duration": "30s"}"#
                let refused = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: fill))
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect(try json(refused)["title"] as? String == "shutting down")
                #expect(await agent.summaries().isEmpty, "nothing listed as running or started")
            }
        }
    }

    @Test func aRequestMayTightenTheAgentsPolicyNeverLoosenIt() async throws {
        try await withAPI { client, target in
            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            }
            let below = try await post(#"{"kind": "disk", "path": "\#(target)", "size": "4M", "floor": "1M", "duration": "30s"}"#)
            #expect(below.status == .unprocessableContent)
            let belowProblem = try json(below)
            #expect(belowProblem["field"] as? String == "floor")
            #expect((belowProblem["detail"] as? String)?.contains("may only raise it") == true, "\(belowProblem)")

            // Stricter than the agent's, and more than this file system can keep free: the fill is refused by it.
            let tooHigh = try await post(#"{"kind": "disk", "path": "\#(target)", "size": "4M", "floor": "100%", "duration": "30s"}"#)
            #expect(tooHigh.status == .unprocessableContent)
            let tooHighProblem = try json(tooHigh)
            #expect((tooHighProblem["detail"] as? String)?.contains("floor") == true, "\(tooHighProblem)")

            let cpuCap = try await post(#"{"kind": "cpu", "load": "10%", "max-load-avg": "high", "duration": "10s"}"#)
            #expect(cpuCap.status == .unprocessableContent)
            #expect(try json(cpuCap)["field"] as? String == "max-load-avg")

            let notForKill = try await post(#"{"kind": "kill", "name": "nothing-here", "floor": "1G", "duration": "10s"}"#)
            #expect(notForKill.status == .unprocessableContent)
            #expect(try json(notForKill)["field"] as? String == "floor", "a kill attack has no floor to tighten")

            let tighter = try await post(#"{"kind": "disk", "path": "\#(target)", "size": "4M", "floor": "3%", "duration": "30s"}"#)
            #expect(tighter.status == .created, "\(String(buffer: tighter.body))")
            let id = try #require(try json(tighter)["id"] as? String)
            // The attack shows the floor it is held to, and so does its report.
            let size = try DiskCapacity(path: .init(target)).sizeBytes
            let floor = try SizeOrShare(parsing: "3%", field: "floor").bytes(of: size)
            func diskFloor(_ object: [String: Any]) -> UInt64? {
                ((object["guards"] as? [String: Any])?["diskFloorBytes"] as? [String: Any])?[target].flatMap { ($0 as? NSNumber)?.uint64Value }
            }
            #expect(diskFloor(try json(tighter)) == floor)
            let stopped = try await client.execute(uri: "/v1/attacks/\(id)", method: .delete, headers: auth)
            #expect(stopped.status == .ok)
            #expect(diskFloor(try json(stopped)) == floor)
        }
    }

    @Test func anUnrenewedLeaseStopsTheAttack() async throws {
        try await withAPI { client, target in
            let body = #"{"kind": "disk", "path": "\#(target)", "size": "4M", "duration": "30s", "lease": "300ms"}"#
            let created = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            let id = try #require(try json(created)["id"] as? String)
            try await Task.sleep(for: .milliseconds(900))
            let after = try json(try await client.execute(uri: "/v1/attacks/\(id)", method: .get, headers: auth))
            #expect(after["state"] as? String == "finished")
            let outcome = (after["report"] as? [String: Any])?["outcome"] as? [String: Any]
            #expect(outcome?["reason"] as? String == "lease expired")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get, headers: auth).body)
            #expect(metrics.contains("stressd_lease_expiries_total 1"))
        }
    }

    /// A plan is admitted as a start would be and starts nothing; a
    /// condition failing now makes a start 422 and a plan name the refusal.
    @Test func aPlanStartsNothingAndAFailingConditionRefusesAStart() async throws {
        try await withAPI { client, target in
            let body = #"{"kind": "disk", "path": "\#(target)", "size": "4M", "duration": "30s", "abort-unless": ["tcp 127.0.0.1:1"]}"#
            let plan = try await client.execute(uri: "/v1/plans", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(plan.status == .ok, "\(String(buffer: plan.body))")
            let shown = try json(plan)
            #expect(shown["dryRun"] as? Bool == true && (shown["footprint"] as? [String: Any])?["diskBytes"] as? Int == 4 << 20)
            #expect((shown["refusal"] as? String)?.contains("tcp 127.0.0.1:1") == true)
            #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
            let started = try await client.execute(uri: "/v1/attacks", method: .post, headers: auth, body: ByteBuffer(string: body))
            #expect(started.status == .unprocessableContent)
            let problem = try json(started)
            #expect(problem["field"] as? String == "abort-unless" && problem["title"] as? String == "not in steady state")
            let bad = #"{"kind": "disk", "path": "\#(target)", "size": "lots", "duration": "30s"}"#
            let refused = try await client.execute(uri: "/v1/plans", method: .post, headers: auth, body: ByteBuffer(string: bad))
            #expect(refused.status == .unprocessableContent)
            #expect(try json(refused)["field"] as? String == "size")
            #expect(try TestAPI.list(try await client.execute(uri: "/v1/attacks", method: .get, headers: auth)).isEmpty)
        }
    }
}
