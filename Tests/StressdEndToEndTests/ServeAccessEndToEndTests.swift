import Foundation
import Glibc
import Testing
import TestSupport

/// Who may reach `stressd serve` (issue 12, findings 2 and 7): no listener
/// without a token, loopback included; no cleartext token off loopback
/// unless said on purpose; a token file only its owner (or root) controls.
@Suite("stressd serve: tokens and cleartext, end to end", .serialized)
struct ServeAccessEndToEndTests {
    static let token = String(repeating: "5e1f", count: 8)

    /// Finding 2: an agent without a token was root for every local user.
    /// Now it does not start, and the local user finds nothing to talk to.
    @Test(.enabled(if: UnprivilegedUser.isAvailable)) func noTokenNoListenerLoopbackIncluded() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let port = testPort()
        let (server, out, err) = try stressd.start(["serve", "--listen", "127.0.0.1:\(port)"])
        // A test that fails before its own SIGTERM must not leave the agent running.
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(3)
        while server.isRunning, Date() < deadline { usleep(20_000) }
        let attacker = try UnprivilegedUser.run(StressdBinary.path, ["status", "--agent", "http://127.0.0.1:\(port)"])
        if server.isRunning { kill(server.processIdentifier, SIGTERM) }
        let result = StressdBinary.finish(server, out, err)
        #expect(attacker.status == 1 && attacker.output.contains("cannot reach"), "a local user reached the agent: \(attacker.output)")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("openssl rand -hex 32") && result.stderr.contains("--token-file"), "\(result.stderr)")
    }

    /// Finding 7: plain HTTP off loopback shows the token to the network,
    /// and a name that merely starts with `127.` is not loopback.
    @Test(arguments: ["0.0.0.0", "[::]", "127.evil.example", "localhost.evil.example"])
    func cleartextOffLoopbackIsRefused(host: String) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let tokenFile = try stressd.writeToken(Self.token)
        let port = testPort()
        let result = try stressd.runBounded(["serve", "--listen", "\(host):\(port)", "--token-file", tokenFile])
        #expect(result?.status == 2, "\(host): \(result?.stderr ?? "it served")")
        #expect(result?.stderr.contains("--allow-cleartext") == true, "\(result?.stderr ?? "")")
    }

    @Test func allowCleartextServesOffLoopbackWithAWarning() async throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let tokenFile = try stressd.writeToken(Self.token)
        let port = testPort()
        let (server, out, err) = try stressd.start(
            ["serve", "--listen", "0.0.0.0:\(port)", "--token-file", tokenFile, "--allow-cleartext"])
        // A test that fails before its own SIGTERM must not leave the agent running.
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() } }
        var answered = false
        for _ in 0..<100 where !answered {
            answered = try stressd.run(["status", "--agent", "http://127.0.0.1:\(port)", "--token-file", tokenFile], local: false).status == 0
            if !answered { try await Task.sleep(for: .milliseconds(50)) }
        }
        kill(server.processIdentifier, SIGTERM)
        let result = StressdBinary.finish(server, out, err)
        #expect(answered, "\(result.stderr)")
        #expect(result.stderr.contains("level=warning") && result.stderr.contains("--allow-cleartext"), "\(result.stderr)")
    }

    /// Finding 7: the root agent must not take a token from a file a local
    /// user could read, replace or point elsewhere.
    @Test(.enabled(if: UnprivilegedUser.isAvailable)) func tokenFilesOthersControlAreRefused() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let good = try stressd.writeToken(Self.token)
        let readable = try stressd.writeToken(Self.token, name: "readable")
        chmod(readable, 0o644)
        let link = stressd.stateDirectory + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: good)
        let big = try stressd.writeToken(Self.token + String(repeating: " ", count: 5000), name: "big")
        let planted = try stressd.writeToken(Self.token, name: "planted")
        try UnprivilegedUser.chown(planted)
        let cases = [
            (readable, "chmod 600"), (link, "symbolic link"), (big, "too big"), (planted, "belongs to uid \(UnprivilegedUser.uid)"),
        ]
        for (path, says) in cases {
            let port = testPort()
            let result = try stressd.runBounded(["serve", "--listen", "127.0.0.1:\(port)", "--token-file", path])
            #expect(result?.status == 2, "\(path): \(result?.stderr ?? "it served")")
            #expect(result?.stderr.contains(says) == true, "\(path): \(result?.stderr ?? "")")
        }
    }

    /// A user's own 0600 token file is theirs to use with --agent.
    @Test(.enabled(if: UnprivilegedUser.isAvailable)) func aUsersOwnTokenFileIsAccepted() throws {
        let home = try TemporaryDirectory()
        try UnprivilegedUser.chown(home.path.string)
        let path = home.path.string + "/token"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.token.utf8), attributes: [.posixPermissions: 0o600]))
        try UnprivilegedUser.chown(path)
        let result = try UnprivilegedUser.run(StressdBinary.path, ["status", "--agent", "http://127.0.0.1:9", "--token-file", path])
        #expect(result.status == 1 && result.output.contains("cannot reach"), "the file was accepted: \(result.output)")
    }

    /// Finding 7: the CLI does not send the token over http:// off loopback.
    @Test(arguments: ["http://10.0.0.5:7070", "http://127.evil.example:7070"])
    func theClientKeepsTheTokenOffCleartextNetworks(url: String) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let tokenFile = try stressd.writeToken(Self.token)
        let result = try stressd.runBounded(["status", "--agent", url, "--token-file", tokenFile], local: false, seconds: 15)
        #expect(result?.status == 2, "\(url): \(result?.stderr ?? "it hung")")
        #expect(result?.stderr.contains("--allow-cleartext") == true, "\(result?.stderr ?? "")")
    }
}
