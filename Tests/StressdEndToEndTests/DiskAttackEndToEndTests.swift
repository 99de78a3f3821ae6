import Foundation
import Glibc
import LinuxHost
import StressCore
import SystemPackage
import Testing

/// `stressd disk` as a user runs it, in temp folders (at most 512 MiB).
@Suite("stressd disk, end to end", .serialized)
struct DiskAttackEndToEndTests {
    static let mebibyte: UInt64 = 1 << 20

    func fillFolders(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".stressd-fill-") }
    }

    @Test func takesTheSpaceAndGivesItBack() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let target = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let (process, out, err) = try stressd.start(["disk", "--path", target, "--size", "512M", "--duration", "2s", "--json"])
        _ = try stressd.waitForRecord(workers: 0)
        usleep(500_000)
        let folders = fillFolders(in: target)
        let during = try DiskCapacity(path: FilePath(target)).availableBytes

        let result = StressdBinary.finish(process, out, err)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(folders.count == 1, "the fill goes into one folder of its own")
        let disk = try #require(try decodeJSON(result.stdout)["disk"] as? [String: Any])
        let before = try #require(disk["availableBeforeBytes"] as? UInt64)
        let after = try #require(disk["availableAfterBytes"] as? UInt64)
        #expect(disk["filledBytes"] as? UInt64 == 512 * Self.mebibyte)
        #expect(disk["method"] as? String == "fallocate")
        #expect(before - during >= 500 * Self.mebibyte, "statvfs saw the space taken")
        #expect(after + 64 * Self.mebibyte >= before, "the space came back")
        #expect(fillFolders(in: target).isEmpty)
        #expect(stressd.ledgerFiles.isEmpty)
        let floors = try #require((try decodeJSON(result.stdout)["guards"] as? [String: Any])?["diskFloorBytes"] as? [String: Any])
        let size = try DiskCapacity(path: FilePath(target)).sizeBytes
        #expect(floors[target] as? UInt64 == SafetyPolicy.default.diskFloorBytes(size: size), "the report names the floor it was held to")
    }

    @Test func aReportThatCannotBeSavedIsStillPrintedWithAWarning() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let target = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        // A file where the reports folder should be: saving fails.
        FileManager.default.createFile(atPath: stressd.stateDirectory + "/reports", contents: Data())

        let result = try stressd.run(["disk", "--path", target, "--size", "1M", "--duration", "1s"])

        #expect(result.status == 0, "the attack ran and was undone: \(result.stderr)")
        #expect(result.stderr.contains("warning: the report could not be saved"), "\(result.stderr)")
        #expect(result.stdout.contains("report:    not saved ("), "\(result.stdout)")
        #expect(result.stdout.contains("completed"), "the summary is still printed: \(result.stdout)")
        #expect(result.stdout.contains("  guards:    free space on \(target) above "), "\(result.stdout)")
        #expect(fillFolders(in: target).isEmpty)
        #expect(stressd.ledgerFiles.isEmpty)
    }

    /// With its watchdog dead too (the watchdog's own tests are in
    /// WatchdogEndToEndTests), the ledger is what undoes it.
    @Test func sigkilledSupervisorsFillIsRemovedByCleanup() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let target = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        // `/.` at the end: the record keeps the canonical path, which a replay walks without links.
        let (process, out, err) = try stressd.start(["disk", "--path", target + "/.", "--size", "256M", "--duration", "20s"])
        let record = try stressd.waitForRecord(workers: 0)
        usleep(300_000)
        #expect(fillFolders(in: target).count == 1)

        try stressd.killWatchdog(of: record)
        kill(process.processIdentifier, SIGKILL)
        _ = StressdBinary.finish(process, out, err)
        #expect(fillFolders(in: target).count == 1, "a crash leaves the fill behind")

        let cleanup = try stressd.run(["cleanup"])
        #expect(cleanup.status == 0, "\(cleanup.stderr)")
        #expect(cleanup.stdout.contains("deleted fill folder"))
        #expect(cleanup.stdout.contains(target + "/.stressd-fill-\(record["id"] as? String ?? "?")"))
        #expect(fillFolders(in: target).isEmpty)
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func aGuardStopsTheFillWhenAnotherWriterTakesTheSpace() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let target = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let available = try DiskCapacity(path: FilePath(target)).availableBytes
        let floor = available - 200 * Self.mebibyte
        let (process, out, err) = try stressd.start([
            "disk", "--path", target, "--size", "32M", "--floor", String(floor), "--duration", "20s", "--json",
        ])
        _ = try stressd.waitForRecord(workers: 0)
        usleep(300_000)
        // Another writer takes 320 MiB.
        let ballast = target + "/ballast"
        let fd = open(ballast, O_WRONLY | O_CREAT, 0o600)
        #expect(posix_fallocate(fd, 0, off_t(320 * Self.mebibyte)) == 0)
        close(fd)
        defer { unlink(ballast) }
        let started = Date()
        // Issue 14: from the breach (the ballast written) to the fill gone, at most 250 ms.
        let stopped = stressd.seconds(until: { fillFolders(in: target).isEmpty }, timeout: 5)
        #expect(stopped != nil && stopped! < 0.25, "breach to fill deleted: \(stopped.map { "\(Int($0 * 1000)) ms" } ?? "more than 5 s")")

        let result = StressdBinary.finish(process, out, err)

        #expect(result.status == 1)
        #expect(Date().timeIntervalSince(started) < 5)
        let outcome = try #require(try decodeJSON(result.stdout)["outcome"] as? [String: Any])
        #expect(outcome["guard"] as? String == "disk-floor")
        #expect(fillFolders(in: target).isEmpty)
        expectCleanedUp(try decodeJSON(result.stdout), stressd)
    }

    @Test func badPathsExit2AndCreateNothing() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let file = stressd.stateDirectory + "/a-file"
        FileManager.default.createFile(atPath: file, contents: Data())
        let link = stressd.stateDirectory + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/tmp")
        var cases: [([String], String)] = [
            (["--path", file, "--size", "1M"], "not a directory"),
            (["--path", link, "--size", "1M"], "is a symbolic link; give the directory it points to"),
            (["--path", "/nonexistent/stressd", "--size", "1M"], "does not exist"),
            (["--path", "relative", "--size", "1M"], "absolute path"),
            (["--path", stressd.stateDirectory, "--size=-1G"], "negative"),
            (["--path", stressd.stateDirectory, "--size", "12XB"], "invalid size"),
            (["--path", stressd.stateDirectory, "--fill-to", "101%"], "fill-to"),
            (["--path", stressd.stateDirectory, "--fill-to", "1e300%"], "'1e+300%' is out of range"),  // make fuzz: trapped
            (["--path", stressd.stateDirectory], "exactly one of"),
            (["--path", stressd.stateDirectory, "--size", "0"], "more than 0 bytes"),
            (["--path", "/proc", "--size", "1M"], "without blocks to fill"),
        ]
        var readOnly: String?
        if getuid() == 0 {
            readOnly = stressd.stateDirectory + "/ro"
            try FileManager.default.createDirectory(atPath: readOnly!, withIntermediateDirectories: true)
            if mount("tmpfs", readOnly!, "tmpfs", 0, "size=1m,ro") == 0 {
                cases.append((["--path", readOnly!, "--size", "1M"], "read-only"))
            } else {
                readOnly = nil
            }
        }
        defer { if let readOnly { umount(readOnly) } }
        for (arguments, message) in cases {
            let result = try stressd.run(["disk", "--duration", "2s"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(stressd.ledgerFiles.isEmpty)
        }
        #expect(fillFolders(in: stressd.stateDirectory).isEmpty)
    }
}
