import Foundation
import StressCore
import Testing

@Suite("Disk specs: what df would say")
struct DiskSpecTests {
    /// 100 GiB, 60 GiB used, 5 GiB reserved for root: Avail 35 GiB, Free 40 GiB.
    let disk = DiskCapacity(sizeBytes: 100 << 30, availableBytes: 35 << 30, freeBytes: 40 << 30)
    let host = CPUCapacity(onlineCPUs: 1)

    func spec(_ flags: [String: String]) throws -> AttackSpec {
        try AttackSpec(kind: .disk, parameters: FlatParameters(flags.merging(["duration": "10s", "path": "/data"]) { a, _ in a }))
    }

    func target(_ flags: [String: String]) throws -> UInt64 {
        guard case .disk(let disk) = try spec(flags).parameters else { return 0 }
        return disk.targetBytes(self.disk)
    }

    func validate(_ flags: [String: String], policy: SafetyPolicy = .default) throws {
        try spec(flags).validate(
            host: HostLimits(cpu: host, memory: MemoryCapacity(hostTotalBytes: 1 << 30, hostAvailableBytes: 1 << 30), disk: disk),
            policy: policy)
    }

    @Test func percentagesFollowDfNotTheRawSize() throws {
        #expect(disk.usedBytes == 60 << 30)
        // df: Use% = used / (used + avail) = 60 / 95. 95% of 95 GiB is 90.25 GiB used.
        #expect(try target(["fill-to": "95%"]) == UInt64(Double(95 << 30) * 0.95) - (60 << 30))
        #expect(try target(["fill-to": "95%", "include-reserved": "true"]) == UInt64(Double(100 << 30) * 0.95) - (60 << 30))
        #expect(try target(["leave": "5G"]) == 30 << 30)
        #expect(try target(["leave": "5G", "include-reserved": "true"]) == 35 << 30)
        #expect(try target(["size": "10G"]) == 10 << 30)
        #expect(try target(["fill-to": "10%"]) == 0, "already fuller than that")
    }

    /// `--leave 10%` leaves 10% of what df's Use% is a share of free: the
    /// same fill as `--fill-to 90%`.
    @Test func aShareToLeaveFollowsDfLikeFillTo() throws {
        // 10% of 95 GiB (used + Avail) is 9.5 GiB to leave of the 35 GiB Avail.
        #expect(try target(["leave": "10%"]) == (35 << 30) - (95 << 30) / 10)
        // With the reserved blocks: 10% of 100 GiB to leave of the 40 GiB free.
        #expect(try target(["leave": "10%", "include-reserved": "true"]) == 30 << 30)
        #expect(try target(["leave": "10%"]).distance(to: target(["fill-to": "90%"])).magnitude <= 1)
        #expect(try target(["leave": "50%"]) == 0, "already fuller than that")
    }

    @Test func theFloorIsEnforcedUpFront() throws {
        // Default floor: max(512 MiB, 2% of 100 GiB = 2 GiB).
        try validate(["size": "30G"])
        let error = try #require(throws: InputError.self) { try validate(["leave": "1G"]) }
        #expect(error.field == "leave")
        #expect(error.description.contains("below the disk floor of 2 GiB"))
        try validate(["leave": "1G"], policy: SafetyPolicy(diskFloor: .bytes(ByteCount(bytes: 512 << 20))))
    }

    @Test(arguments: [
        (["fill-to": "10%"], "fill-to", "fill-to: nothing to fill: /data is already 63% full (df's Use%), at or above --fill-to 10%"),
        (["leave": "50%"], "leave", "leave: nothing to fill: /data has only 35 GiB free, no more than --leave 50% would leave"),
        (["size": "0"], "size", "size '0 B' is out of range: more than 0 bytes"),
    ])
    func nothingToFillSaysWhy(flags: [String: String], field: String, message: String) throws {
        let error = try #require(throws: InputError.self) { try validate(flags) }
        #expect(error.field == field)
        #expect(error.description == message)
    }

    @Test func aFileSystemWithoutBlocksIsNotFillable() throws {
        let proc = DiskCapacity(sizeBytes: 0, availableBytes: 0, freeBytes: 0)
        let error = try #require(throws: InputError.self) {
            try spec(["size": "1M"]).validate(
                host: HostLimits(cpu: host, memory: MemoryCapacity(hostTotalBytes: 1 << 30, hostAvailableBytes: 1 << 30), disk: proc),
                policy: .default)
        }
        #expect(error.field == "path")
        #expect(error.description.contains("without blocks to fill"))
    }

    @Test("bad disk parameters", arguments: [
        ["size": "-1G"], ["size": "12XB"], ["fill-to": "101%"], ["size": "1G", "leave": "1G"], [:],
        ["size": "100G"], ["fill-to": "10%"], ["path": "relative/dir", "size": "1G"],
        ["leave": "101%"], ["leave": "50%"],
    ])
    func badParameters(flags: [String: String]) {
        #expect(throws: InputError.self) { try validate(flags) }
    }

    @Test func aPathThatCouldNotBeExaminedIsRefused() throws {
        let limits = HostLimits(cpu: host, memory: MemoryCapacity(hostTotalBytes: 1 << 30, hostAvailableBytes: 1 << 30))
        #expect(throws: InputError.self) { try spec(["size": "1G"]).validate(host: limits, policy: .default) }
    }

    @Test func diskSpecsRoundTripThroughJSON() throws {
        for flags in [["size": "2G"], ["fill-to": "95%", "include-reserved": "true"], ["leave": "1G"], ["leave": "10%"]] {
            let original = try spec(flags)
            #expect(try JSONDecoder().decode(AttackSpec.self, from: JSONEncoder().encode(original)) == original)
        }
    }
}
