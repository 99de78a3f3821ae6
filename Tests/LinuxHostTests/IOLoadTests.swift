import Glibc
@testable import LinuxHost
import StressCore
import SystemPackage
import TestSupport
import Testing

/// I/O loads on the host's /tmp (ext4 on a virtio disk here), 8–16 MiB
/// files, under a second each. Serialized: paced runs measure rates that a
/// concurrent load on the same disk would bend.
@Suite("I/O load", .serialized)
struct IOLoadTests {
    static let mebibyte: UInt64 = 1 << 20

    /// A load of `configuration` in a fresh temporary directory, run for
    /// `seconds`; the directory lives as long as the returned load.
    func run(
        _ configuration: IOLoad.Configuration, seconds: Double, reports: ((IOLoad.Totals) -> Void)? = nil
    ) throws -> (load: IOLoad, totals: IOLoad.Totals, directory: TemporaryDirectory) {
        let temporary = try TemporaryDirectory()
        let load = try IOLoad.prepare(in: try OpenDirectory.open(temporary.path), configuration)
        let deadline = MonotonicClock.now() + UInt64(seconds * 1e9)
        let totals = try load.run(until: deadline, report: reports ?? { _ in })
        return (load, totals, temporary)
    }

    func configuration(
        readFraction: Double, workingSet: UInt64 = 16 * mebibyte, pace: IOLoad.Pace? = nil, directIO: Bool = true
    ) throws -> IOLoad.Configuration {
        try IOLoad.Configuration(
            fileName: "io-0", workingSetBytes: workingSet, blockBytes: 4096, readFraction: readFraction,
            pace: pace, directIO: directIO, seed: 42)
    }

    @Test func writesOnly() throws {
        let (load, totals, directory) = try run(configuration(readFraction: 0), seconds: 0.3)
        #expect(totals.readOperations == 0 && totals.readBytes == 0)
        #expect(totals.writeOperations > 0)
        #expect(totals.writtenBytes == totals.writeOperations * 4096)
        #expect(totals.latency.count == totals.writeOperations)
        var info = stat()
        #expect(stat(directory.path.appending("io-0").string, &info) == 0)
        #expect(info.st_size == 16 << 20 && info.st_mode & 0o777 == 0o600, "laid out, private, and left for the caller")
        #expect(load.isDirect)
    }

    /// Sequential writes go block after block from the start: each written
    /// block carries its write's number and offset (the stamp every write
    /// puts in its first 8 bytes), in order, and the rest is the layout.
    @Test func sequentialWritesGoBlockAfterBlock() throws {
        let paced = try IOLoad.Configuration(
            fileName: "io-0", workingSetBytes: 16 * Self.mebibyte, blockBytes: 4096, readFraction: 0,
            pace: .operationsPerSecond(1000), sequential: true, seed: 42)
        let (_, totals, directory) = try run(paced, seconds: 0.2)
        #expect(totals.writeOperations > 10 && totals.writeOperations < 4096, "fewer writes than blocks: no wrap")
        let fd = open(directory.path.appending("io-0").string, O_RDONLY)
        defer { close(fd) }
        for block in 0..<totals.writeOperations + 1 {
            var stamp: UInt64 = 0
            #expect(pread(fd, &stamp, 8, off_t(block * 4096)) == 8)
            let expected = block ^ (block * 4096)
            if block < totals.writeOperations {
                #expect(stamp == expected, "block \(block) was write \(block)")
            } else {
                #expect(stamp != expected, "block \(block) was never written after the layout")
            }
        }
    }

    @Test func readsOnlyReachTheDevice() throws {
        let temporary = try TemporaryDirectory()
        let directory = try OpenDirectory.open(temporary.path)
        let load = try IOLoad.prepare(in: directory, configuration(readFraction: 1))
        let before = try ProcFS().diskStats(forFileAt: directory.descriptor)
        let totals = try load.run(until: MonotonicClock.now() + 300_000_000)
        let after = try ProcFS().diskStats(forFileAt: directory.descriptor)
        #expect(totals.writeOperations == 0 && totals.writtenBytes == 0)
        #expect(totals.readOperations > 0 && totals.readBytes == totals.readOperations * 4096)
        if let before, let after {
            // Direct reads bypass the page cache: the device saw at least them.
            #expect(after.readBytes - before.readBytes >= totals.readBytes)
        }
    }

    @Test func seventyPercentReads() throws {
        // Buffered: the page cache makes thousands of operations a quick sample.
        let (_, totals, _) = try run(configuration(readFraction: 0.7, workingSet: 8 * Self.mebibyte, directIO: false), seconds: 0.2)
        let operations = totals.readOperations + totals.writeOperations
        #expect(operations >= 1_000)
        let share = Double(totals.readOperations) / Double(operations)
        #expect(abs(share - 0.7) < 0.03, "read share \(share) of \(operations)")
        #expect(totals.latency.count == operations)
    }

    @Test func pacedByBytesLandsWithinFivePercent() throws {
        let (_, totals, _) = try run(configuration(readFraction: 0.5, pace: .bytesPerSecond(8 * Self.mebibyte)), seconds: 1)
        let moved = Double(totals.readBytes + totals.writtenBytes)
        #expect(abs(moved / Double(8 * Self.mebibyte) - 1) <= 0.05, "\(moved) bytes in 1 s")
    }

    @Test func pacedByOperations() throws {
        let (_, totals, _) = try run(configuration(readFraction: 0.3, pace: .operationsPerSecond(400)), seconds: 0.5)
        let operations = Double(totals.readOperations + totals.writeOperations)
        #expect(abs(operations / 200 - 1) <= 0.05, "\(operations) operations in 0.5 s")
    }

    @Test func directIOIsReallyUsed() throws {
        let (load, _, _) = try run(configuration(readFraction: 1, workingSet: 8 * Self.mebibyte), seconds: 0.01)
        #expect(load.isDirect && !load.directIOFellBack)
        let flags = fcntl(load.descriptor, F_GETFL)
        #expect(flags >= 0 && flags & IOLoad.directFlag != 0)
        // Only O_DIRECT refuses a file offset off the logical block (since
        // 6.0 a device may take a buffer with less alignment, not an offset).
        let misaligned = load.buffer.baseAddress.map { address in
            (count: pread(load.descriptor, address, 512, 1), errno: errno)
        }
        #expect(misaligned?.count == -1 && misaligned?.errno == EINVAL)
    }

    @Test(.enabled(if: DiskTestMount.isAvailable, "needs root and mounts"))
    func ramfsRefusesDirectIOAndFallocateSoTheLoadFallsBack() throws {
        let ramfs = try DiskTestMount(.ramfs)
        let load = try IOLoad.prepare(in: try OpenDirectory.open(ramfs.path), configuration(readFraction: 0.5, workingSet: Self.mebibyte))
        #expect(load.directIOFellBack && !load.isDirect)
        #expect(fcntl(load.descriptor, F_GETFL) & IOLoad.directFlag == 0)
        var info = stat()
        #expect(stat(ramfs.path.appending("io-0").string, &info) == 0 && info.st_size == 1 << 20, "ftruncate where fallocate is refused")
        let totals = try load.run(until: MonotonicClock.now() + 20_000_000)
        #expect(totals.readOperations > 0 && totals.writeOperations > 0)
    }

    @Test(.enabled(if: DiskTestMount.isAvailable, "needs root and mounts"))
    func aFullFileSystemEndsTheLayoutWithENOSPC() throws {
        let disk = try DiskTestMount(.tmpfs(mebibytes: 4))
        #expect(throws: HostError.system(call: "fallocate", path: disk.path.appending("io-0").string, errno: .noSpace)) {
            try IOLoad.prepare(in: try OpenDirectory.open(disk.path), configuration(readFraction: 0, workingSet: 8 * Self.mebibyte))
        }
    }

    @Test func reportsAreCumulativeAndTheLastIsTheResult() throws {
        var reports: [IOLoad.Totals] = []
        let (_, totals, _) = try run(configuration(readFraction: 0.5, pace: .operationsPerSecond(1_000)), seconds: 0.55) {
            reports.append($0)
        }
        #expect((5...7).contains(reports.count), "about every 100 ms: \(reports.count)")
        #expect(reports.last == totals)
        for (earlier, later) in zip(reports, reports.dropFirst()) {
            #expect(earlier.latency.count <= later.latency.count)
            #expect(earlier.elapsedNanoseconds < later.elapsedNanoseconds)
        }
    }

    @Test func shouldStopEndsTheRun() throws {
        let temporary = try TemporaryDirectory()
        let load = try IOLoad.prepare(in: try OpenDirectory.open(temporary.path), configuration(readFraction: 0.5, directIO: false))
        var asked = 0
        let totals = try load.run(until: MonotonicClock.now() + 10_000_000_000) {
            asked += 1
            return asked > 100
        }
        #expect(totals.readOperations + totals.writeOperations == 100)
    }

    @Test func aTakenNameIsNeverOpened() throws {
        let temporary = try TemporaryDirectory()
        let directory = try OpenDirectory.open(temporary.path)
        #expect(symlink("/etc/passwd", temporary.path.appending("io-0").string) == 0)
        #expect(throws: HostError.system(call: "open", path: temporary.path.appending("io-0").string, errno: .fileExists)) {
            try IOLoad.prepare(in: directory, configuration(readFraction: 0))
        }
    }

    @Test("invalid configurations name the parameter at fault", arguments: [
        (4096 as UInt64, 0, 0.5, IOLoad.Pace?.none, "block-size"),
        (4096, 1000, 0.5, nil, "block-size"),
        (4096, 513, 0.5, nil, "block-size"),
        (1 << 30, 128 << 20, 0.5, nil, "block-size"),
        (2048, 4096, 0.5, nil, "working-set"),
        (4096, 4096, 1.5, nil, "read-fraction"),
        (4096, 4096, -0.1, nil, "read-fraction"),
        (4096, 4096, .nan, nil, "read-fraction"),
        (4096, 4096, 0.5, .bytesPerSecond(0), "pace"),
        (4096, 4096, 0.5, .operationsPerSecond(0), "pace"),
    ])
    func rejectsConfiguration(workingSet: UInt64, block: Int, readFraction: Double, pace: IOLoad.Pace?, field: String) {
        #expect {
            try IOLoad.Configuration(fileName: "io-0", workingSetBytes: workingSet, blockBytes: block, readFraction: readFraction, pace: pace)
        } throws: { error in
            (error as? InputError)?.field == field
        }
    }

    @Test(arguments: ["", ".", "..", "a/b", "/io"])
    func rejectsFileNames(name: String) {
        #expect(throws: InputError.self) {
            try IOLoad.Configuration(fileName: name, workingSetBytes: 4096, blockBytes: 4096, readFraction: 0)
        }
    }

    @Test func workingSetIsWholeBlocks() throws {
        let configuration = try IOLoad.Configuration(fileName: "io-0", workingSetBytes: 10_000, blockBytes: 4096, readFraction: 0)
        #expect(configuration.workingSetBytes == 8192 && configuration.blocks == 2)
    }
}
