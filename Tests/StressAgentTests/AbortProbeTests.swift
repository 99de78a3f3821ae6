import Foundation
import Glibc
import LinuxHost
@testable import StressAgent
import StressCore
import TestSupport
import Testing

/// The probes behind abort conditions, each looking at something real or
/// at a fixture tree: what passes, what fails, and that a probe that
/// cannot look reports a failure rather than a pass.
@Suite struct AbortProbeTests {
    /// A cgroup2 tree: a root with `cgroup.controllers`, `system.slice/app.service`
    /// and `user.slice/user@0.service/app.slice/deep.service`, each with a
    /// memory.pressure of the given `some` avg10.
    func tree(in directory: TemporaryDirectory, some: String = "1.50") throws -> CgroupFS {
        let root = directory.path.appending("cgroup")
        let files = FileManager.default
        for path in ["", "system.slice/app.service", "user.slice/user@0.service/app.slice/deep.service"] {
            let folder = root.appending(path).string
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "some avg10=\(some) avg60=0.50 avg300=0.10 total=12345\nfull avg10=0.25 avg60=0.00 avg300=0.00 total=99\n"
                .write(toFile: folder + "/memory.pressure", atomically: false, encoding: .utf8)
            try "0\n".write(toFile: folder + "/cgroup.procs", atomically: false, encoding: .utf8)
        }
        try "memory pids\n".write(toFile: root.appending("cgroup.controllers").string, atomically: false, encoding: .utf8)
        return CgroupFS(root: root)
    }

    func pressure(_ line: String, on cgroupFS: CgroupFS) async throws -> ConditionProbeResult {
        let condition = try AbortCondition(line: line)
        return await condition.check.probe.observe(on: ProbeHost(cgroupFS: cgroupFS))
    }

    @Test func aUnitsPressureIsFoundByNameAndJudgedAgainstItsCeiling() async throws {
        let directory = try TemporaryDirectory()
        let cgroupFS = try tree(in: directory)
        let passed = try await pressure("pressure memory some=2% unit=deep.service", on: cgroupFS)
        #expect(passed.passed && passed.value == 1.5 && passed.detail.contains("deep.service's memory pressure"))
        let failed = try await pressure("pressure memory some=1% cgroup=/system.slice/app.service", on: cgroupFS)
        #expect(!failed.passed && failed.value == 1.5 && failed.detail.hasSuffix("above 1%"))
        let full = try await pressure("pressure memory full=0.2% unit=app.service", on: cgroupFS)
        #expect(!full.passed && full.value == 0.25)
    }

    @Test func aMissingUnitALinkOrAClimbIsAFailureNotAPass() async throws {
        let directory = try TemporaryDirectory()
        let cgroupFS = try tree(in: directory)
        let missing = try await pressure("pressure memory some=99% unit=gone.service", on: cgroupFS)
        #expect(!missing.passed && missing.value == nil && missing.detail.contains("cannot read gone.service's memory pressure"))
        // A link where a unit's directory should be is not followed.
        let elsewhere = directory.path.appending("elsewhere").string
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n".write(toFile: elsewhere + "/memory.pressure", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: cgroupFS.root.appending("system.slice/linked.service").string, withDestinationPath: elsewhere)
        let linked = try await pressure("pressure memory some=99% unit=linked.service", on: cgroupFS)
        #expect(!linked.passed)
        let viaCgroup = try await pressure("pressure memory some=99% cgroup=/system.slice/linked.service", on: cgroupFS)
        #expect(!viaCgroup.passed && viaCgroup.detail.contains("Not a directory"), "\(viaCgroup.detail)")
        #expect(throws: HostError.self) { try CgroupTree(cgroupFS: cgroupFS).directory("/system.slice/../system.slice") }
    }

    @Test func aPortThatListensPassesAndOneThatDoesNotFailsSayingWhy() async throws {
        let socket = try LoopbackSocket()
        let refused = try await AbortCondition(line: "tcp 127.0.0.1:\(socket.port)").check.probe.observe(on: ProbeHost())
        #expect(!refused.passed && refused.value == nil && refused.detail.contains("Connection refused"))
        #expect(socket.listen())
        let accepted = try await AbortCondition(line: "tcp 127.0.0.1:\(socket.port) latency=2s").check.probe.observe(on: ProbeHost())
        #expect(accepted.passed && (accepted.value ?? -1) >= 0 && accepted.detail.hasPrefix("accepted a connection in"))
    }

    @Test func aProcessCountLeavesStressdOutAndComparesWithItsMinimum() async throws {
        let victim = Process()
        victim.executableURL = URL(fileURLWithPath: "/bin/sleep")
        victim.arguments = ["20"]
        try victim.run()
        defer {
            Glibc.kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
        }
        let one = try await AbortCondition(line: "process pid=\(victim.processIdentifier)").check.probe.observe(on: ProbeHost())
        #expect(one.passed && one.value == 1)
        let two = try await AbortCondition(line: "process pid=\(victim.processIdentifier) min=2").check.probe.observe(on: ProbeHost())
        #expect(!two.passed && two.detail.hasSuffix("fewer than 2"))
        // This test runner is a parent of nothing stressd, but its own pid is an ancestor: never counted.
        let ownPid = try await AbortCondition(line: "process pid=\(getpid())").check.probe.observe(on: ProbeHost())
        #expect(!ownPid.passed && ownPid.value == 0)
    }

    @Test(arguments: [
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1.5,"3"]},{"metric":{"a":"b"},"value":[1.5,"NaN"]}]}}"#, "3.0 nan"),
        (#"{"status":"success","data":{"resultType":"scalar","result":[1.5,"+Inf"]}}"#, "inf"),
        (#"{"status":"success","data":{"resultType":"vector","result":[]}}"#, ""),
        (#"{"status":"error","errorType":"bad_data","error":"parse error at char 4"}"#, "refused: the query failed (400): parse error at char 4"),
        (#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#, "refused: the query returned a matrix, not a vector or a scalar; write an instant query"),
        ("<html>", "refused: answered 400 with something that is not a query result"),
    ])
    func prometheusAnswersReadAsTheirSamples(body: String, expected: String) {
        do {
            let samples = try PrometheusAnswer(status: 400, body: Array(body.utf8)).samples
            #expect(samples.map { $0.isNaN ? "nan" : String($0) }.joined(separator: " ") == expected)
        } catch {
            #expect("refused: \(error.reason)" == expected)
        }
    }

    @Test func aQueryIsPercentEncodedWholly() {
        #expect(PrometheusCheck.encoded("sum(rate(x{job=\"a b\"}[1m])) > 0") == "sum%28rate%28x%7Bjob%3D%22a%20b%22%7D%5B1m%5D%29%29%20%3E%200")
    }
}
