import Foundation
import Glibc
import LinuxHost
import TestSupport
import Testing

/// Issue 12: what an unprivileged local user (uid 64123, through setpriv)
/// tries in order to make root's stressd act on a target of their choice.
/// Each test plants or swaps what the user could, runs stressd as root, and
/// checks that root's files and processes are untouched.
@Suite("A local user cannot turn stressd against the host", .serialized, .enabled(if: UnprivilegedUser.isAvailable, "needs root and setpriv"))
struct LocalAttackerEndToEndTests {
    /// A folder tree under /tmp that the user can reach (0755), removed at the end.
    final class Playground {
        let path: String

        init() throws {
            var template = Array("/tmp/stressd-attacker-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
            path = String(cString: made)
            chmod(path, 0o755)
        }

        /// A directory the user owns.
        func userDirectory(_ name: String) throws -> String {
            let directory = path + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            try UnprivilegedUser.chown(directory)
            return directory
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func aFillFolderSwappedForALinkIsEmptiedWhereItWentAndTheLinkIsNeverFollowed() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let playground = try Playground()
        let target = try playground.userDirectory("target")
        // Root's own folder, holding a file named like a fill file.
        let decoy = playground.path + "/root-only"
        try FileManager.default.createDirectory(atPath: decoy, withIntermediateDirectories: false)
        chmod(decoy, 0o700)
        FileManager.default.createFile(atPath: decoy + "/fill-0000", contents: Data("root's".utf8))
        // The user waits for the fill folder, renames it away and links root's folder in its place.
        let swap = """
            import os, sys, time
            target, decoy = sys.argv[1], sys.argv[2]
            deadline = time.time() + 5
            while time.time() < deadline:
                found = [n for n in os.listdir(target) if n.startswith('.stressd-fill-')]
                if found:
                    time.sleep(0.2)  # the fill is fallocated by then
                    os.rename(os.path.join(target, found[0]), os.path.join(target, 'moved'))
                    os.symlink(decoy, os.path.join(target, found[0]))
                    print('swapped'); sys.exit(0)
                time.sleep(0.005)
            sys.exit(1)
            """
        let (attack, out, err) = try stressd.start(["disk", "--path", target, "--size", "8M", "--duration", "1500ms", "--json"])
        let attacker = try UnprivilegedUser.run("/usr/bin/python3", ["-c", swap, target, decoy])
        let result = StressdBinary.finish(attack, out, err)

        #expect(attacker.status == 0, "the user could swap the folder: \(attacker.output)")
        #expect(FileManager.default.contents(atPath: decoy + "/fill-0000") == Data("root's".utf8), "root's file was not deleted")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target + "/moved").isEmpty, "the fill files were deleted where the folder went")
        #expect(result.status == 1, "a folder moved away is left behind, not verified clean: \(result.stderr)")
        let cleanup = try #require(try decodeJSON(result.stdout)["cleanup"] as? [String: Any])
        let leftovers = cleanup["leftovers"] as? [String] ?? []
        #expect(leftovers.contains { $0.contains("was moved away by someone else") }, "\(leftovers)")

        // Every later cleanup refuses the link too, and keeps the record for a person.
        let again = try stressd.run(["cleanup"])
        #expect(again.status == 1, "\(again.stdout) \(again.stderr)")
        #expect((again.stdout + again.stderr).contains("not the folder stressd made"), "\(again.stdout) \(again.stderr)")
        #expect(FileManager.default.contents(atPath: decoy + "/fill-0000") == Data("root's".utf8))
        #expect(stressd.ledgerFiles.count == 1, "the record stays until a person has looked")
    }

    @Test func aStateDirectoryAUserPlantedIsRefusedBeforeAnyReplay() throws {
        let playground = try Playground()
        let state = try playground.userDirectory("state")
        let ledger = try playground.userDirectory("state/ledger")
        // A root process the user would like killed: start times are public in /proc.
        let victim = Process()
        victim.executableURL = URL(fileURLWithPath: "/bin/sleep")
        victim.arguments = ["30"]
        try victim.run()
        defer { kill(victim.processIdentifier, SIGKILL); victim.waitUntilExit() }
        let identity = try ProcFS().processStat(victim.processIdentifier).identity
        let bootID = try ProcFS().bootID()
        let record = """
            {"id": "cpu-0000f00d", "bootID": "\(bootID)", "supervisor": {"pid": 999999, "startTime": 1},
             "startedAt": "2026-01-01T00:00:00Z", "deadline": "2026-01-01T00:00:30Z", "workers": [{"pid": \(identity.pid), "startTime": \(identity.startTime)}],
             "cgroups": [], "fillDirectories": [], "stoppedProcesses": []}
            """
        FileManager.default.createFile(atPath: ledger + "/cpu-0000f00d.json", contents: Data(record.utf8))
        try UnprivilegedUser.chown(ledger + "/cpu-0000f00d.json")
        let stressd = try StressdBinary()
        defer { stressd.remove() }

        for command in [["cpu", "--load", "10%", "--duration", "1s"], ["cleanup"]] {
            let result = try stressd.run(command + ["--state-dir", state], local: false)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("owned by uid \(UnprivilegedUser.uid)"), "\(result.stderr)")
        }
        #expect(victim.isRunning, "the planted record killed nothing")
    }

    @Test func aLinkPlantedAtTheReportPathIsRefusedAndNotWrittenThrough() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let playground = try Playground()
        let shared = playground.path + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o1777)  // like /tmp
        let secret = playground.path + "/secret"
        FileManager.default.createFile(atPath: secret, contents: Data("root's secret".utf8), attributes: [.posixPermissions: 0o600])
        let planted = try UnprivilegedUser.run("/bin/ln", ["-s", secret, shared + "/report.json"])
        #expect(planted.status == 0, "\(planted.output)")

        let result = try stressd.run(["cpu", "--load", "10%", "--duration", "1s", "--report", shared + "/report.json"])

        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("is a symbolic link"), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: secret) == Data("root's secret".utf8))
        #expect(stressd.ledgerFiles.isEmpty, "nothing was started")
    }

    @Test func aReportFolderOthersCanWriteWithoutTheStickyBitIsRefused() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let playground = try Playground()
        let shared = playground.path + "/group-writable"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o777)

        let result = try stressd.run(["cpu", "--load", "10%", "--duration", "1s", "--report", shared + "/report.json"])

        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("without the sticky bit"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: shared + "/report.json"))
    }

    @Test func aReportFolderAnotherUserOwnsIsRefused() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let playground = try Playground()
        // Not group- or other-writable, but theirs: they could swap it for a link between the check and the write.
        let theirs = try playground.userDirectory("theirs")

        let result = try stressd.run(["cpu", "--load", "10%", "--duration", "1s", "--report", theirs + "/report.json"])

        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("is owned by uid \(UnprivilegedUser.uid)"), "\(result.stderr)")
        #expect(stressd.ledgerFiles.isEmpty, "nothing was started")
    }

    @Test func aUsersLinkOnTheWayIsRefusedForReportsAndCharts() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let playground = try Playground()
        // Root's own folder, trusted all the way: where the user's links lead.
        let rootOnly = playground.path + "/root-only"
        try FileManager.default.createDirectory(atPath: rootOnly, withIntermediateDirectories: false)
        chmod(rootOnly, 0o700)
        let theirs = try playground.userDirectory("theirs")
        let shared = playground.path + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o1777)  // like /tmp: the user may add names, not rename root's
        for link in [theirs + "/out", shared + "/out"] {
            let planted = try UnprivilegedUser.run("/bin/ln", ["-s", rootOnly, link])
            #expect(planted.status == 0, "\(planted.output)")
        }
        let made = try stressd.run(["cpu", "--load", "10%", "--duration", "200ms", "--json"])
        let id = try #require(try decodeJSON(made.stdout)["id"] as? String, "\(made.stderr)")

        // Resolved, both paths end in root's folder; on the way, the user could turn either link elsewhere.
        let refusals = [
            (["cpu", "--load", "10%", "--duration", "1s", "--report", theirs + "/out/report.json"], "\(theirs): is owned by uid \(UnprivilegedUser.uid)"),
            (["report", id, "--svg", theirs + "/out/chart.svg"], "\(theirs): is owned by uid \(UnprivilegedUser.uid)"),
            (["cpu", "--load", "10%", "--duration", "1s", "--report", shared + "/out/report.json"], "\(shared)/out: is a symbolic link owned by uid \(UnprivilegedUser.uid)"),
            (["report", id, "--svg", shared + "/out/chart.svg"], "\(shared)/out: is a symbolic link owned by uid \(UnprivilegedUser.uid)"),
        ]
        for (arguments, reason) in refusals {
            let result = try stressd.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: rootOnly).isEmpty, "nothing written where the links point")
        #expect(stressd.ledgerFiles.isEmpty, "nothing was started")
        // Root's folder named without the links is written.
        let direct = try stressd.run(["report", id, "--svg", rootOnly + "/chart.svg"])
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(FileManager.default.fileExists(atPath: rootOnly + "/chart.svg"))
    }

    @Test func escapesInAUsersCommandLineAreShownToRootNotObeyed() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        // The user's sleep names itself with "conceal", a carriage return and a forged line.
        let name = "x\u{1B}[8m hidden\rstressd: all clean\nforged: line"
        let (command, arguments) = UnprivilegedUser.wrap("/bin/bash", ["-c", "exec -a \"$0\" /bin/sleep 30", name])
        let victim = Process()
        victim.executableURL = URL(fileURLWithPath: command)
        victim.arguments = arguments
        try victim.run()
        defer {
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
        }
        // Until setpriv and bash have exec'd the named sleep.
        let cmdline = "/proc/\(victim.processIdentifier)/cmdline"
        for _ in 0..<100 where !(FileManager.default.contents(atPath: cmdline).map { String(decoding: $0, as: UTF8.self).hasSuffix("\0" + "30\0") } ?? false) {
            usleep(20_000)
        }

        let result = try stressd.run(["kill", "--pid", String(victim.processIdentifier), "--dry-run"])

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("x\\x1b[8m hidden\\x0dstressd: all clean\\x0aforged: line 30"), "\(result.stdout)")
        #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\r"), "\(result.stdout)")
        #expect(!result.stdout.split(separator: "\n").contains { $0.hasPrefix("forged") }, "a line of its own: \(result.stdout)")
    }

    @Test func aPortAnotherUserHoldsWhileTheAgentIsDownGetsNoToken() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let tokenFile = try stressd.writeToken(String(repeating: "ab12", count: 8))
        // The user's listener where root's agent would be (127.0.0.1 and ::1):
        // it prints its port, then, when its input closes, the bytes it got.
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tests/harness/port_squatter.py").path
        let (command, arguments) = UnprivilegedUser.wrap("/usr/bin/python3", [script])
        let squatter = Process()
        squatter.executableURL = URL(fileURLWithPath: command)
        squatter.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        squatter.standardInput = input
        squatter.standardOutput = output
        try squatter.run()
        defer {
            if squatter.isRunning { kill(squatter.processIdentifier, SIGKILL) }
            squatter.waitUntilExit()
        }
        let port = try #require(Int(output.nextLine()), "the listener's port")

        // https too: the check comes before TLS, so not even a ClientHello reaches it.
        for url in ["http://127.0.0.1:\(port)", "http://[::1]:\(port)", "https://127.0.0.1:\(port)"] {
            let result = try stressd.run(["status", "--agent", url, "--token-file", tokenFile], local: false)
            #expect(result.status == 1, "\(url): \(result.stderr)")
            #expect(result.stderr.contains("held by a socket uid \(UnprivilegedUser.uid) made"), "\(url): \(result.stderr)")
            #expect(result.stderr.contains("nothing was sent"), "\(url): \(result.stderr)")
        }
        try input.fileHandleForWriting.close()
        #expect(output.nextLine() == "0", "the user's listener received nothing, the token least of all")
    }

    @Test func aStateDirectoryThatIsALinkIsRefusedBeforeAnythingIsCreatedWhereItPoints() throws {
        let playground = try Playground()
        let theirs = try playground.userDirectory("theirs")
        let rootOnly = playground.path + "/root-only"
        try FileManager.default.createDirectory(atPath: rootOnly, withIntermediateDirectories: false)
        chmod(rootOnly, 0o700)
        let planted = try UnprivilegedUser.run("/bin/ln", ["-s", rootOnly, theirs + "/state"])
        #expect(planted.status == 0, "\(planted.output)")
        let stressd = try StressdBinary()
        defer { stressd.remove() }

        let result = try stressd.run(["cleanup", "--state-dir", theirs + "/state"], local: false)

        #expect(result.status == 2, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: rootOnly).isEmpty, "no ledger made where the link points")
    }

    @Test func aReportIsWrittenMode0600ThroughAFreshFile() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let report = stressd.stateDirectory + "/report.json"

        let result = try stressd.run(["cpu", "--load", "10%", "--duration", "500ms", "--report", report])

        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: report)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try decodeJSON(String(decoding: FileManager.default.contents(atPath: report) ?? Data(), as: UTF8.self))["id"] != nil)
    }
}
