import Foundation
import StressCore
import Testing

@Suite("stressd io's parameters")
struct IOSpecTests {
    static let host = HostLimits(
        cpu: CPUCapacity(onlineCPUs: 1), memory: MemoryCapacity(hostTotalBytes: 1 << 30, hostAvailableBytes: 1 << 30),
        disk: DiskCapacity(sizeBytes: 100 << 30, availableBytes: 50 << 30, freeBytes: 50 << 30))

    func spec(_ flags: [String: String]) throws -> AttackSpec {
        try AttackSpec(kind: .io, parameters: FlatParameters(flags.merging(["duration": "30s"]) { a, _ in a }))
    }

    @Test func defaultsAreRandomDirectWritesOf64KOver256M() throws {
        let spec = try spec(["path": "/data"])
        #expect(spec.parameters == .io(IOSpec(path: "/data")))
        guard case .io(let io) = spec.parameters else { return }
        #expect(io.readShare.fraction == 0 && io.direct && io.pattern == .random && io.pace == .unlimited)
        #expect(io.blockSize.bytes == 64 << 10 && io.size.bytes == 256 << 20 && io.workers == 1)
        try spec.validate(host: Self.host, policy: .default)
    }

    @Test func everyParameterReadsBackFromItsFlatAndJSONForms() throws {
        let spec = try spec([
            "path": "/data", "read": "70%", "block-size": "4K", "size": "64M", "workers": "4", "pattern": "sequential",
            "iops": "2000", "buffered": "true", "max-io-pressure": "60%",
        ])
        #expect(spec.parameters == .io(IOSpec(
            path: "/data", readShare: Percentage(fraction: 0.7), blockSize: ByteCount(bytes: 4096), size: ByteCount(bytes: 64 << 20),
            workers: 4, pattern: .sequential, pace: .operationsPerSecond(2000), direct: false,
            maxPressure: Percentage(fraction: 0.6))))
        #expect(try AttackSpec(kind: .io, parameters: spec.flatParameters) == spec)
        #expect(try JSONDecoder().decode(AttackSpec.self, from: JSONEncoder().encode(spec)) == spec)
        let paced = try self.spec(["path": "/data", "rate": "200M/s"])
        #expect(try JSONDecoder().decode(AttackSpec.self, from: JSONEncoder().encode(paced)) == paced)
        guard case .io(let io) = paced.parameters else { return }
        #expect(io.pace == .bytesPerSecond(ByteCount(bytes: 200 << 20)))
    }

    /// The working set is split in whole blocks between the workers.
    @Test func eachWorkerGetsWholeBlocks() {
        let io = IOSpec(path: "/d", blockSize: ByteCount(bytes: 4096), size: ByteCount(bytes: 10 * 4096 + 100), workers: 3)
        #expect(io.bytesPerWorker == 3 * 4096)
    }

    @Test("bad io parameters name their field", arguments: [
        (["read": "50%"], "path"),
        (["path": "data"], "path"),
        (["path": "/d", "rate": "1M", "iops": "10"], "iops"),
        (["path": "/d", "iops": "-5"], "iops"),
        (["path": "/d", "iops": "0"], "iops"),
        (["path": "/d", "rate": "0"], "rate"),
        (["path": "/d", "block-size": "1000"], "block-size"),
        (["path": "/d", "block-size": "256"], "block-size"),
        (["path": "/d", "block-size": "32M"], "block-size"),
        (["path": "/d", "workers": "0"], "workers"),
        (["path": "/d", "workers": "65"], "workers"),
        (["path": "/d", "workers": "two"], "workers"),
        (["path": "/d", "pattern": "zigzag"], "pattern"),
        (["path": "/d", "read": "150%"], "read"),
        (["path": "/d", "read": "-1%"], "read"),
        (["path": "/d", "size": "64K", "workers": "2"], "size"),
        (["path": "/d", "size": "60G"], "size"),
        (["path": "/d", "buffered": "maybe"], "buffered"),
        (["path": "/d", "max-io-pressure": "0%"], "max-io-pressure"),
        (["path": "/d", "max-io-pressure": "101%"], "max-io-pressure"),
        (["path": "/d", "signal": "TERM"], "signal"),
    ])
    func badParameters(flags: [String: String], field: String) {
        let error = #expect(throws: InputError.self, "\(flags)") {
            try spec(flags).validate(host: Self.host, policy: .default)
        }
        #expect(error?.field == field, "\(flags): \(String(describing: error))")
    }

    @Test func theSummarySaysWhatWillHappen() throws {
        let spec = try spec(["path": "/data", "read": "70%", "block-size": "4K", "size": "64M", "workers": "2", "iops": "500"])
        #expect(spec.summary(host: Self.host)
            == "random 4 KiB reads and writes (70% reads) over 64 MiB in /data, 2 worker(s), at 500 IOPS, direct I/O, for 30s")
    }
}
