import Foundation
import StressCore
import Testing

@Suite("Attack specs and their validation")
struct AttackSpecTests {
    let twoCores = CPUCapacity(onlineCPUs: 2)
    var host: HostLimits {
        HostLimits(cpu: twoCores, memory: MemoryCapacity(hostTotalBytes: 8 << 30, hostAvailableBytes: 6 << 30))
    }

    func cpu(_ load: Double, cores: CoreSelection = .count(1), seconds: Int64 = 30) -> AttackSpec {
        AttackSpec(.cpu(CPUSpec(load: Percentage(fraction: load), cores: cores)), duration: .seconds(seconds))
    }

    @Test("accepted specs", arguments: [0.01, 0.5, 1.0])
    func acceptsLoads(load: Double) throws {
        try cpu(load, cores: .all).validate(host: host, policy: .default)
    }

    @Test("loads outside 1%...100% are refused", arguments: [0.0, 0.005, 1.5, -0.1])
    func refusesLoads(load: Double) {
        #expect(throws: InputError.self) { try cpu(load).validate(host: host, policy: .default) }
    }

    @Test func refusesMoreCoresThanTheHostLetsUs() throws {
        let error = try #require(throws: InputError.self) {
            try cpu(0.5, cores: .count(99)).validate(host: host, policy: .default)
        }
        #expect(error.field == "cores")
        #expect(error.description.contains("lets stressd use 2"))
        #expect(error.description.contains("--cores all or a number up to 2"))
    }

    @Test func refusesDurationsOutsideThePolicy() throws {
        #expect(throws: InputError.self) { try cpu(0.5, seconds: 0).validate(host: host, policy: .default) }
        let error = try #require(throws: InputError.self) {
            try cpu(0.5, seconds: 7200).validate(host: host, policy: .default)
        }
        #expect(error.description.contains("--max-duration"))
        try cpu(0.5, seconds: 7200).validate(host: host, policy: SafetyPolicy(maxDuration: .seconds(7200)))
    }

    @Test func quotaScalesTheLoadPerWorker() {
        let quota = CPUCapacity(onlineCPUs: 4, quotaCores: 1.5)
        #expect(quota.cores == 1.5)
        #expect(quota.workerSlots == 2)
        let all = CPUSpec(load: Percentage(fraction: 1), cores: .all)
        #expect(all.workerCount(capacity: quota) == 2)
        #expect(all.loadPerWorker(capacity: quota) == 0.75)
        let one = CPUSpec(load: Percentage(fraction: 0.8), cores: .count(1))
        #expect(one.loadPerWorker(capacity: quota) == 0.8)
        #expect(CPUSpec(load: Percentage(fraction: 0.5), cores: .all).loadPerWorker(capacity: twoCores) == 0.5)
    }

    @Test func aQuotaAboveTheCPUCountDoesNotRaiseCapacity() {
        #expect(CPUCapacity(onlineCPUs: 2, quotaCores: 8).cores == 2)
        #expect(CPUCapacity(onlineCPUs: 2, quotaCores: 0.3).workerSlots == 1)
    }

    @Test func flatJSONRoundTripsThroughTheSameParsers() throws {
        let json = #"{"kind": "cpu", "load": "80%", "cores": 2, "duration": "30s", "mode": "total"}"#
        let spec = try JSONDecoder().decode(AttackSpec.self, from: Data(json.utf8))
        #expect(spec == AttackSpec(.cpu(CPUSpec(load: Percentage(fraction: 0.8), cores: .count(2), mode: .total)), duration: .seconds(30)))
        let again = try JSONDecoder().decode(AttackSpec.self, from: JSONEncoder().encode(spec))
        #expect(again == spec)
        let all = try JSONDecoder().decode(AttackSpec.self, from: Data(#"{"kind":"cpu","load":"5%","cores":"all","duration":"1m"}"#.utf8))
        #expect(all == AttackSpec(.cpu(CPUSpec(load: Percentage(fraction: 0.05), cores: .all)), duration: .seconds(60)))
    }

    @Test("bad JSON values fail with the CLI's messages", arguments: [
        #"{"kind": "gpu", "load": "80%", "duration": "30s"}"#,
        #"{"kind": "cpu", "load": "lots", "duration": "30s"}"#,
        #"{"kind": "cpu", "load": "80%", "duration": "30"}"#,
        #"{"kind": "cpu", "load": "80%", "cores": 0, "duration": "30s"}"#,
    ])
    func badJSON(json: String) {
        #expect(throws: InputError.self) { try JSONDecoder().decode(AttackSpec.self, from: Data(json.utf8)) }
    }

    @Test func attackIDsAreSafePathComponents() throws {
        var generator = SystemRandomNumberGenerator()
        let id = AttackID(kind: .cpu, using: &generator)
        #expect(id.rawValue.hasPrefix("cpu-"))
        #expect(id.rawValue.count == 12)
        #expect(try AttackID(validating: id.rawValue) == id)
        #expect(id.kind == .cpu)
        #expect(try AttackID(validating: "disk-0badf00d").kind == .disk)
        #expect(try AttackID(validating: "made-up-1").kind == nil)
        for bad in ["../etc", "cpu/1", "", "-rf", "CPU-1", String(repeating: "a", count: 65)] {
            #expect(throws: InputError.self) { try AttackID(validating: bad) }
        }
    }

    @Test func ledgerRecordsRoundTrip() throws {
        let record = LedgerRecord(
            id: try AttackID(validating: "cpu-0000beef"), spec: cpu(0.3, cores: .all), bootID: "b00t",
            supervisor: ProcessIdentity(pid: 42, startTime: 7), startedAt: Date(timeIntervalSince1970: 1000),
            deadline: Date(timeIntervalSince1970: 1030), workers: [ProcessIdentity(pid: 43, startTime: 9)],
            cgroups: ["/sys/fs/cgroup/cpu/stressd-cpu-0000beef"])
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(LedgerRecord.self, from: encoder.encode(record)) == record)
    }

    @Test func outcomesRoundTripAndDecideSuccess() throws {
        let outcomes: [AttackOutcome] = [
            .completed, .stopped(reason: "SIGINT"), .guardTripped(guard: "memory", reason: "below 5%"),
            .oomKilled(reason: "killed by the kernel"), .failed(reason: "worker died"),
        ]
        for outcome in outcomes {
            #expect(try JSONDecoder().decode(AttackOutcome.self, from: JSONEncoder().encode(outcome)) == outcome)
        }
        #expect(outcomes.map(\.status) == ["completed", "stopped", "guard-tripped", "oom-killed", "failed"])
        #expect(outcomes.map(\.reason) == [nil, "SIGINT", "below 5%", "killed by the kernel", "worker died"])
        #expect(AttackOutcome.stopped(reason: "x").isSuccess)
        #expect(!AttackOutcome.failed(reason: "x").isSuccess)
    }

    /// `--cpus` (issue 15): one worker per listed CPU, only CPUs of the
    /// affinity mask, not with `--cores`, and written back as it was read.
    @Test func pinnedCPUsAreCheckedAgainstTheAffinityMask() throws {
        let mask = CPUCapacity(allowed: try CPUList(parsing: "0-1,4"))
        let hostWithMask = HostLimits(cpu: mask, memory: host.memory)
        let pinned = try AttackSpec(kind: .cpu, parameters: FlatParameters(["cpus": "4,0", "duration": "5s"]))
        try pinned.validate(host: hostWithMask, policy: .default)
        guard case .cpu(let cpu) = pinned.parameters else { Issue.record("not a cpu spec"); return }
        #expect(cpu.pinnedCPUs == [0, 4])
        #expect(cpu.workerCount(capacity: mask) == 2)
        #expect(pinned.flatParameters["cpus"] == "0,4")
        #expect(try AttackSpec(kind: .cpu, parameters: pinned.flatParameters) == pinned)

        let outside = try AttackSpec(kind: .cpu, parameters: FlatParameters(["cpus": "2-3", "duration": "5s"]))
        let error = try #require(throws: InputError.self) { try outside.validate(host: hostWithMask, policy: .default) }
        #expect(error.field == "cpus")
        #expect(error.description.contains("stressd may run on CPUs 0-1,4"), "\(error)")

        let both = try #require(throws: InputError.self) {
            try AttackSpec(kind: .cpu, parameters: FlatParameters(["cpus": "0", "cores": "1", "duration": "5s"]))
        }
        #expect(both.description.contains("not both"))
    }

    @Test("CPU lists read as taskset -c writes them", arguments: [
        ("0", [0]), ("0,2-3", [0, 2, 3]), (" 3-3 , 1 ", [1, 3]), ("1,0,1", [0, 1]), ("8191", [8191]),
    ])
    func cpuLists(text: String, cpus: [Int]) throws {
        let list = try CPUList(parsing: text)
        #expect(list.cpus == cpus)
        #expect(try CPUList(parsing: list.description) == list)
    }

    @Test("bad CPU lists", arguments: ["", ",", "1,", "3-1", "-1", "+1", "a", "1-", "0-8192", "1 2"])
    func badCPULists(text: String) {
        #expect(throws: InputError.self) { try CPUList(parsing: text) }
    }

    @Test func cpuListsCollapseRuns() {
        #expect(CPUList([6, 0, 1, 2, 3, 9, 10]).description == "0-3,6,9-10")
    }
}
