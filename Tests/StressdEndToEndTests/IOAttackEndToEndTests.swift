import Foundation
import Glibc
import StressCore
import Testing

/// `stressd io` as a user runs it, in a temp folder on this machine's disk
/// (working sets of at most 32 MiB, a few seconds each).
@Suite("stressd io, end to end", .serialized)
struct IOAttackEndToEndTests {
    func target(_ stressd: StressdBinary) throws -> String {
        let target = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }

    func io(_ report: [String: Any]) throws -> [String: Any] {
        try #require(report["io"] as? [String: Any])
    }

    @Test func loadsTheDeviceWithDirectIOAndLeavesNothing() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let target = try target(stressd)
        let (process, out, err) = try stressd.start([
            "io", "--path", target, "--size", "32M", "--block-size", "4K", "--read", "50%", "--workers", "2", "--duration", "2s", "--json",
        ])
        let record = try stressd.waitForRecord(workers: 2)
        let folders = record["fillDirectories"] as? [[String: Any]] ?? []
        let result = StressdBinary.finish(process, out, err)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(folders.count == 1, "the working set's folder is in the record before the workers start")
        let report = try decodeJSON(result.stdout)
        let io = try io(report)
        #expect(io["direct"] as? Bool == true, "ext4 takes O_DIRECT")
        #expect(io["workers"] as? Int == 2)
        #expect(io["workingSetBytes"] as? UInt64 == 32 << 20)
        let reads = try #require(io["readOperations"] as? UInt64)
        let writes = try #require(io["writeOperations"] as? UInt64)
        #expect(reads > 100 && writes > 100, "both reads and writes ran: \(reads) reads, \(writes) writes")
        #expect(io["readBytes"] as? UInt64 == reads * 4096)
        let bandwidth = try #require(io["bytesPerSecond"] as? Double)
        let seconds = try #require(io["loadSeconds"] as? Double)
        #expect(abs(bandwidth * seconds - Double((reads + writes) * 4096)) < 4096 * 2, "bandwidth is the bytes moved over the load time")
        // The layout (the working set written once first) is timed, and is part of the 2 s, not added to them.
        let layout = try #require(io["layoutSeconds"] as? Double)
        #expect(layout > 0 && layout + seconds <= 2.5, "layout \(layout) s + load \(seconds) s in a 2 s attack")
        #expect((io["latencyP50Microseconds"] as? Double).map { $0 > 0 } == true)
        #expect((io["samples"] as? [Any])?.isEmpty == false)
        #expect(io["deviceName"] is String, "a directory on ext4 has a block device in /proc/diskstats")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty, "the folder and its files are gone")
        expectCleanedUp(report, stressd)
    }

    /// At a paced rate the workers move what was asked, not what the
    /// device could: a quarter of it less or more would be a broken pacer.
    @Test func aPacedLoadMovesWhatWasAsked() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let result = try stressd.run([
            "io", "--path", try target(stressd), "--size", "16M", "--block-size", "4K", "--rate", "2M/s", "--duration", "3s", "--json",
        ])

        #expect(result.status == 0, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        let io = try io(report)
        #expect(io["requestedBytesPerSecond"] as? UInt64 == 2 << 20)
        let bandwidth = try #require(io["bytesPerSecond"] as? Double)
        #expect(abs(bandwidth / Double(2 << 20) - 1) < 0.25, "achieved \(bandwidth) B/s of 2 MiB/s")
        expectCleanedUp(report, stressd)
    }

    /// Its own load lifts the host's I/O pressure past a cap of 0.01 %
    /// within a few seconds (PSI's avg10 moves every 2 s): the guard stops
    /// it, names itself, and everything is undone.
    @Test func theIOPressureGuardStopsTheLoad() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let result = try stressd.run([
            "io", "--path", try target(stressd), "--size", "32M", "--block-size", "4K", "--max-io-pressure", "0.01%",
            "--duration", "20s", "--json",
        ])

        #expect(result.status == 1, "\(result.stderr)")
        let report = try decodeJSON(result.stdout)
        let outcome = try #require(report["outcome"] as? [String: Any])
        #expect(outcome["status"] as? String == "guard-tripped")
        #expect(outcome["guard"] as? String == "io-pressure", "\(outcome)")
        #expect((report["guards"] as? [String: Any])?["maxIOPressure"] as? Double == 0.01)
        let loaded = try #require(try io(report)["loadSeconds"] as? Double)
        #expect(loaded < 15, "stopped by the guard, not the deadline")
        expectCleanedUp(report, stressd)
    }

    @Test("bad io input is refused before anything starts", arguments: [
        (["--size", "4K", "--block-size", "4K", "--workers", "2"], "at least one block per worker"),
        (["--rate", "1M/s", "--iops", "5"], "not both"),
        (["--block-size", "1000"], "a multiple of 512"),
    ])
    func refusesBadInput(flags: [String], message: String) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let target = try target(stressd)
        let result = try stressd.run(["io", "--path", target, "--duration", "2s"] + flags)

        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
        #expect(stressd.ledgerFiles.isEmpty)
    }
}
