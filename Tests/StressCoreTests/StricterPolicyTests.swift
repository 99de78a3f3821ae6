import Foundation
import StressCore
import Testing

@Suite("A request may tighten the safety policy, never loosen it")
struct StricterPolicyTests {
    let host = HostLimits(
        cpu: CPUCapacity(onlineCPUs: 2, quotaCores: nil),
        memory: MemoryCapacity(hostTotalBytes: 8 << 30, hostAvailableBytes: 6 << 30, limitBytes: nil, cgroupUsageBytes: nil),
        disk: DiskCapacity(sizeBytes: 100 << 30, availableBytes: 60 << 30, freeBytes: 65 << 30, readOnly: false))

    func taking(_ kind: AttackKind, _ values: [String: String]) throws -> (StricterPolicy, FlatParameters) {
        var flat = FlatParameters(values)
        let stricter = try StricterPolicy(kind: kind, taking: &flat)
        return (stricter, flat)
    }

    @Test func eachKindTakesItsOwnNamesAndLeavesTheSpecsAlone() throws {
        let (disk, rest) = try taking(.disk, ["floor": "10G", "size": "1G", "path": "/tmp"])
        #expect(disk.floor == .bytes(ByteCount(bytes: 10 << 30)))
        #expect(rest == FlatParameters(["size": "1G", "path": "/tmp"]))
        #expect(try taking(.cpu, ["max-load-avg": "2.5"]).0.maxLoadAverage == 2.5)
        // A name the kind does not take stays, so the spec refuses it as unknown.
        #expect(try taking(.cpu, ["floor": "1G"]).1["floor"] == "1G")
        #expect(try taking(.kill, ["max-load-avg": "3"]).1["max-load-avg"] == "3")
    }

    @Test("bad values are input errors", arguments: [
        (AttackKind.mem, "floor", "lots"), (.disk, "floor", "-1G"), (.cpu, "max-load-avg", "0"), (.cpu, "max-load-avg", "inf"),
    ])
    func badValues(kind: AttackKind, name: String, value: String) {
        #expect(throws: InputError.self) { try taking(kind, [name: value]) }
    }

    @Test func aHigherFloorIsKeptALowerOneRefused() throws {
        // The default memory floor here is max(256M, 5% of 8G) = 409.6M; the disk floor max(512M, 2% of 100G) = 2G.
        let memory = try StricterPolicy(floor: .bytes(ByteCount(bytes: 1 << 30))).applied(to: .default, kind: .mem, host: host)
        #expect(memory.memoryFloor == .bytes(ByteCount(bytes: 1 << 30)))
        #expect(memory.diskFloor == nil, "only the kind's own floor changes")
        let disk = try StricterPolicy(floor: .share(Percentage(fraction: 0.1))).applied(to: .default, kind: .disk, host: host)
        #expect(disk.diskFloorBytes(size: 100 << 30) == 10 << 30)

        let lower = try #require(throws: InputError.self) {
            try StricterPolicy(floor: .bytes(ByteCount(bytes: 1 << 30))).applied(to: .default, kind: .disk, host: host)
        }
        #expect(lower.field == "floor")
        #expect(lower.description.contains("may only raise it"))
        #expect(lower.description.contains("2 GiB"), "names the agent's floor: \(lower)")
    }

    @Test func aLowerLoadCapIsKeptAHigherOneRefused() throws {
        let capped = SafetyPolicy(maxLoadAverage: 4)
        #expect(try StricterPolicy(maxLoadAverage: 2).applied(to: capped, kind: .cpu, host: host).maxLoadAverage == 2)
        #expect(try StricterPolicy(maxLoadAverage: 8).applied(to: .default, kind: .cpu, host: host).maxLoadAverage == 8,
                "no cap of the agent's own: any cap is stricter")
        #expect(throws: InputError.self) { try StricterPolicy(maxLoadAverage: 8).applied(to: capped, kind: .cpu, host: host) }
    }

    @Test func itTravelsAsTheParametersItIsReadFrom() throws {
        var flat = FlatParameters()
        StricterPolicy(floor: .share(Percentage(fraction: 0.05)), maxLoadAverage: 1.5).write(to: &flat)
        #expect(try taking(.mem, flat.values).0.floor == .share(Percentage(fraction: 0.05)))
        #expect(try taking(.cpu, flat.values).0.maxLoadAverage == 1.5)
    }
}

@Suite("A request's abort conditions join the operator's")
struct RequestAbortConditionTests {
    @Test func theOperatorsComeFirstAndStayWhateverTheRequestAsks() throws {
        var policy = SafetyPolicy.default
        var operators = try AbortCondition(line: "pressure memory full=10%")
        operators.source = .policy
        policy.abortConditions = [operators]
        let host = HostLimits(
            cpu: CPUCapacity(onlineCPUs: 2), memory: MemoryCapacity(hostTotalBytes: 8 << 30, hostAvailableBytes: 6 << 30))
        let own = try AbortCondition(line: "tcp 127.0.0.1:5432")
        let applied = try StricterPolicy(abortConditions: [own]).applied(to: policy, kind: .cpu, host: host)
        #expect(applied.abortConditions == [operators, own])
        #expect(try StricterPolicy().applied(to: policy, kind: .kill, host: host).abortConditions == [operators])
    }

    @Test func aRequestBodyCarriesConditionsAsObjectsOrLines() throws {
        let body = #"""
            {"kind": "cpu", "duration": "5s", "abort-unless": [
              {"check": "http", "url": "http://127.0.0.1:8080/health", "status": 200, "every": "200ms"},
              "tcp 127.0.0.1:5432 misses=2"]}
            """#
        let request = try AttackRequest(json: Array(body.utf8))
        #expect(request.stricter.abortConditions.map(\.line) == [
            "http http://127.0.0.1:8080/health every=200ms status=200", "tcp 127.0.0.1:5432 misses=2",
        ])
        #expect(request.spec.kind == .cpu && request.spec.duration == .seconds(5))
        // What the client sends reads back to the same request.
        let sent = AttackRequestBody(parameters: FlatParameters(["kind": "cpu", "duration": "5s"]), abortConditions: request.stricter.abortConditions)
        let again = try AttackRequest(json: Array(try JSONEncoder().encode(sent)))
        #expect(again.stricter.abortConditions == request.stricter.abortConditions)
    }

    @Test(arguments: [
        (#"{"kind": "cpu", "duration": "5s", "abort-unless": "tcp a:1"}"#, "abort-unless"),
        (#"{"kind": "cpu", "duration": "5s", "abort-unless": [3]}"#, "abort-unless"),
        (#"{"kind": "cpu", "duration": "5s", "abort-unless": [{"check": "tcp"}]}"#, "abort-unless tcp address"),
        (#"{"kind": "cpu", "duration": "5s", "abort-unless": [{"check": "tcp", "address": "a:1", "url": "x"}]}"#, "abort-unless tcp url"),
        (#"{"kind": "cpu", "duration": "5s", "abort-unless": ["tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1", "tcp a:1"]}"#, "abort-unless"),
    ])
    func badListsAreRefusedNamingTheField(body: String, field: String) {
        #expect {
            try AttackRequest(json: Array(body.utf8))
        } throws: { error in
            guard case .invalid(let input) = error as? AttackRequest.Refusal else { return false }
            return input.field == field
        }
    }
}
