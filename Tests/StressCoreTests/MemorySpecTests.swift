import Foundation
import StressCore
import Testing

@Suite("Memory specs: sizes, bases, floors")
struct MemorySpecTests {
    /// A host with 8 GiB, 6 GiB of it available.
    let host = MemoryCapacity(hostTotalBytes: 8 << 30, hostAvailableBytes: 6 << 30)
    /// A container limited to 1 GiB that uses 256 MiB, on that host.
    let container = MemoryCapacity(hostTotalBytes: 8 << 30, hostAvailableBytes: 6 << 30, limitBytes: 1 << 30, cgroupUsageBytes: 256 << 20)

    func spec(_ flags: [String: String]) throws -> AttackSpec {
        try AttackSpec(kind: .mem, parameters: FlatParameters(flags.merging(["duration": "10s"]) { a, _ in a }))
    }

    func memory(_ flags: [String: String]) throws -> MemorySpec {
        guard case .mem(let memory) = try spec(flags).parameters else { throw InputError.rejected(field: "kind", reason: "not mem") }
        return memory
    }

    /// Issue 14: `--of total` is a share of MemTotal even inside a
    /// memory-limited cgroup; a share above the limit is refused, naming it.
    @Test func ofTotalIsAShareOfTheMachineInsideAContainerToo() throws {
        let tenthOfTotal = try memory(["size": "10%", "of": "total"]).targetBytes(container)
        #expect(tenthOfTotal > (819 << 20) && tenthOfTotal < (820 << 20), "10% of 8 GiB: \(tenthOfTotal)")
        #expect(try memory(["size": "10%", "of": "total"]).targetBytes(container) != (try memory(["size": "10%"]).targetBytes(container)))
        let error = try #require(throws: InputError.self) {
            try spec(["size": "20%", "of": "total"]).validate(host: HostLimits(cpu: CPUCapacity(onlineCPUs: 2), memory: container), policy: .default)
        }
        #expect(error.field == "size")
        #expect("\(error)".contains("more than the cgroup memory limit of 1 GiB"), "\(error)")
        #expect("\(error)".contains("--of limit"), "\(error)")
    }

    @Test func percentagesAreOfTheLimitInsideAContainer() throws {
        #expect(container.limit == 1 << 30)
        #expect(container.available == 768 << 20)
        #expect(container.used == 256 << 20)
        #expect(try memory(["size": "50%"]).targetBytes(container) == 512 << 20)
        #expect(try memory(["size": "50%", "of": "available"]).targetBytes(container) == 384 << 20)
        #expect(try memory(["size": "50%"]).targetBytes(host) == 4 << 30)
        #expect(try memory(["size": "512M"]).targetBytes(host) == 512 << 20)
    }

    @Test func aLimitAboveMemTotalMeansNoLimit() {
        let unlimited = MemoryCapacity(hostTotalBytes: 8 << 30, hostAvailableBytes: 6 << 30, limitBytes: .max, cgroupUsageBytes: 1 << 30)
        #expect(unlimited.limit == 8 << 30)
        #expect(unlimited.available == 6 << 30)
    }

    @Test func fillToTargetsWhatOthersLeave() throws {
        let fill = try memory(["fill-to": "90%"])
        // 2 GiB used by others: hold 90% of 8 GiB minus that.
        let scope = MemoryCapacity(hostTotalBytes: 8 << 30, hostAvailableBytes: 6 << 30)
        #expect(fill.targetBytes(scope) == UInt64(Double(8 << 30) * 0.9) - (2 << 30))
        // The hog already holds 1 GiB of the 2 GiB used: others are 1 GiB.
        #expect(fill.targetBytes(scope, hogBytes: 1 << 30) == UInt64(Double(8 << 30) * 0.9) - (1 << 30))
    }

    @Test func aSizeThatBreaksTheFloorIsRefusedWithTheShortfall() throws {
        let error = try #require(throws: InputError.self) {
            try spec(["size": "5.9G"]).validate(host: HostLimits(cpu: CPUCapacity(onlineCPUs: 2), memory: host), policy: .default)
        }
        #expect(error.field == "size")
        // Floor: 5% of 8 GiB = 409.6 MiB; 6 GiB - 5.9 GiB leaves 102.4 MiB, 307.2 MiB short.
        #expect(error.description.contains("below the memory floor of 409.6 MiB"))
        #expect(error.description.contains("307.2 MiB below"))
        try spec(["size": "5.5G"]).validate(host: HostLimits(cpu: CPUCapacity(onlineCPUs: 2), memory: host), policy: .default)
        let lowFloor = SafetyPolicy(memoryFloor: .bytes(ByteCount(bytes: 64 << 20)))
        try spec(["size": "5.9G"]).validate(host: HostLimits(cpu: CPUCapacity(onlineCPUs: 2), memory: host), policy: lowFloor)
    }

    @Test func theDefaultFloorsAreTheLargerOfAFixedSizeAndAShare() {
        #expect(SafetyPolicy.default.memoryFloorBytes(limit: 1 << 30) == 256 << 20)
        #expect(SafetyPolicy.default.memoryFloorBytes(limit: 100 << 30) == 5 << 30)
        #expect(SafetyPolicy.default.diskFloorBytes(size: 10 << 30) == 512 << 20)
        #expect(SafetyPolicy.default.diskFloorBytes(size: 1000 << 30) == 20 << 30)
        #expect(SafetyPolicy(memoryFloor: .share(Percentage(fraction: 0.1))).memoryFloorBytes(limit: 1 << 30) == 107_374_182)
    }

    @Test func fillToThatBreaksTheFloorIsRefused() throws {
        let limits = HostLimits(cpu: CPUCapacity(onlineCPUs: 2), memory: host)
        #expect(throws: InputError.self) { try spec(["fill-to": "99%"]).validate(host: limits, policy: .default) }
        try spec(["fill-to": "90%"]).validate(host: limits, policy: .default)
    }

    @Test("bad memory parameters", arguments: [
        ["size": "-1G"], ["size": "12XB"], ["size": "101%"], ["fill-to": "0%"], ["size": "1G", "fill-to": "90%"],
        [:], ["size": "1G", "of": "everything"], ["size": "1G", "rate": "fast"], ["size": "1G", "lock": "maybe"],
        ["size": "1G", "rate": "0"], ["size": "0"], ["fill-to": "90%", "of": "total"],
    ])
    func badParameters(flags: [String: String]) {
        let limits = HostLimits(cpu: CPUCapacity(onlineCPUs: 2), memory: host)
        #expect(throws: InputError.self) { try spec(flags).validate(host: limits, policy: .default) }
    }

    /// `of` says what a percentage `size` is of; `fill-to` is always of the
    /// limit, so `of` beside it would be a setting silently ignored.
    @Test func ofWithFillToIsRefusedNamingBoth() throws {
        let error = try #require(throws: InputError.self) { try spec(["fill-to": "90%", "of": "available"]) }
        #expect(error.field == "of")
        #expect(error.description.contains("--of"))
        #expect(error.description.contains("--fill-to"))
    }

    /// The same for a size in bytes: it is no share of anything.
    @Test func ofWithAByteSizeIsRefused() throws {
        let error = try #require(throws: InputError.self) { try spec(["size": "2G", "of": "total"]) }
        #expect(error.field == "of")
        #expect(error.description.contains("2G is an amount already"))
        #expect(try spec(["size": "2G"]).flatParameters["of"] == nil, "nor is it written back")
        #expect(try spec(["size": "50%"]).flatParameters["of"] == "limit", "a share names its base, default or not")
    }

    @Test func ratesTakeAnOptionalPerSecond() throws {
        #expect(try memory(["size": "1G", "rate": "256M/s"]).ratePerSecond == ByteCount(bytes: 256 << 20))
        #expect(try memory(["size": "1G", "rate": "1G"]).ratePerSecond == ByteCount(bytes: 1 << 30))
    }

    @Test func memorySpecsRoundTripThroughJSON() throws {
        for flags in [["size": "2G", "rate": "256M/s", "lock": "true"], ["size": "80%", "of": "available"], ["fill-to": "90%", "respawn": "yes"]] {
            let original = try spec(flags)
            #expect(try JSONDecoder().decode(AttackSpec.self, from: JSONEncoder().encode(original)) == original)
        }
        let api = #"{"kind": "mem", "size": "512M", "lock": true, "duration": "30s"}"#
        #expect(try JSONDecoder().decode(AttackSpec.self, from: Data(api.utf8)) == spec(["size": "512M", "lock": "true"]).with(duration: .seconds(30)))
    }

    @Test func unknownParametersAreNamed() throws {
        let error = try #require(throws: InputError.self) { try spec(["size": "1G", "sise": "2G"]) }
        #expect(error.field == "sise")
        #expect(error.description.contains("known: fill-to, lock, of, rate, respawn, size"))
    }
}

extension AttackSpec {
    func with(duration: Duration) -> AttackSpec {
        var copy = self
        copy.duration = duration
        return copy
    }
}
