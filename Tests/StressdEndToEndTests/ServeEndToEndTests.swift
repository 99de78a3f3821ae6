import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Testing

/// `stressd serve` on loopback, driven over real HTTP.
@Suite("stressd serve, end to end", .serialized)
struct ServeEndToEndTests {
    func request(_ method: String, _ url: String, token: String?, body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func servesAttacksAndCleansThemUpOnSIGTERM() async throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let token = String(repeating: "ab12", count: 8)
        let tokenFile = try stressd.writeToken(token)
        let port = testPort()
        let base = "http://127.0.0.1:\(port)"
        let (server, out, err) = try stressd.start(["serve", "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile])
        // A test that fails before its own SIGTERM must not leave the agent running.
        defer { server.endIfRunning(SIGKILL) }
        var healthy = false
        for _ in 0..<100 where !healthy {
            healthy = (try? await request("GET", base + "/healthz", token: nil).0) == 200
            if !healthy { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(healthy)

        #expect(try await request("GET", base + "/v1/attacks", token: nil).0 == 401)
        let (status, body) = try await request("POST", base + "/v1/attacks", token: token, body: #"{"kind": "cpu", "load": "20%", "duration": "20s"}"#)
        #expect(status == 201, "\(body)")
        let record = try stressd.waitForRecord(workers: 1)
        let workers = try #require(record["workers"] as? [[String: Any]])

        kill(server.processIdentifier, SIGTERM)
        let result = StressdBinary.finish(server, out, err)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(!workers.contains(where: isLive), "SIGTERM stopped the attack's workers")
        #expect(stressd.ledgerFiles.isEmpty, "and cleaned up before exiting")

        // Not under systemd's journal here, so the log is logfmt on stderr.
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.allSatisfy { $0.hasPrefix("ts=") }, "every stderr line is logfmt: \(result.stderr)")
        #expect(lines.contains { $0.contains(#"level=info msg="attack started" attack_id=cpu-"#) && $0.contains("attack_kind=cpu") })
        #expect(lines.contains { $0.contains(#"msg="attack ended" attack_id=cpu-"#) && $0.contains("cleanup=verified") })
    }

    @Test func logLevelWarningKeepsTheInfoLinesOut() async throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let port = testPort()
        let base = "http://127.0.0.1:\(port)"
        let token = String(repeating: "ef56", count: 8)
        let (server, out, err) = try stressd.start(
            ["serve", "--listen", "127.0.0.1:\(port)", "--log-level", "warning", "--token-file", try stressd.writeToken(token)])
        // A test that fails before its own SIGTERM must not leave the agent running.
        defer { server.endIfRunning(SIGKILL) }
        var healthy = false
        for _ in 0..<100 where !healthy {
            healthy = (try? await request("GET", base + "/healthz", token: nil).0) == 200
            if !healthy { try await Task.sleep(for: .milliseconds(50)) }
        }
        let target = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let (status, body) = try await request("POST", base + "/v1/attacks", token: token, body: #"{"kind": "disk", "path": "\#(target)", "size": "1M", "duration": "20s"}"#)
        #expect(status == 201, "\(body)")
        kill(server.processIdentifier, SIGTERM)
        let result = StressdBinary.finish(server, out, err)
        #expect(result.status == 0)
        #expect(!result.stderr.contains("level=info"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test("refuses unsafe or bad listen settings with exit 2", arguments: [
        ["--listen", "0.0.0.0:7070"], ["--listen", "nonsense"], ["--listen", "127.0.0.1:99999"], ["--token-file", "/nonexistent/token"],
        ["--tls-cert", "/etc/hostname"], ["--tls-client-ca", "/etc/hostname"], ["--log-level", "chatty"],
        ["--tls-cert", "/nonexistent/agent.pem", "--tls-key", "/nonexistent/agent.key"],
    ])
    func refusesUnsafeSettings(arguments: [String]) throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let result = try stressd.run(["serve"] + arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
    }

    /// HTTPS end to end: a self-signed certificate for 127.0.0.1, the agent
    /// serving with it, and the CLI trusting it with --ca-file.
    @Test func aSocketSystemdPassesWinsOverTheConfigAndListenBesideItIsRefused() async throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let tokenFile = try stressd.writeToken(String(repeating: "5e6f", count: 8))
        let config = stressd.stateDirectory + "/stressd.toml"
        try #"listen = "127.0.0.1:1""#.write(toFile: config, atomically: true, encoding: .utf8)
        // What systemd does for stressd.socket: listens, then runs stressd
        // with the socket as fd 3, LISTEN_FDS=1 and LISTEN_PID its own pid.
        let activate = """
            import os, socket, sys
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
            os.dup2(s.fileno(), 3); os.set_inheritable(3, True)
            os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
            os.execv(sys.argv[2], sys.argv[2:])
            """
        func activated(_ port: Int, _ arguments: [String]) throws -> (Process, Pipe, Pipe) {
            try stressd.start(["serve", "--token-file", tokenFile, "--config", config] + arguments) { executable, rest in
                ("/usr/bin/python3", ["-c", activate, String(port), executable] + rest)
            }
        }

        let port = testPort()
        let (server, out, err) = try activated(port, [])
        defer { server.endIfRunning(SIGKILL) }
        var status = try stressd.run(["status", "--agent", "http://127.0.0.1:\(port)", "--token-file", tokenFile], local: false)
        for _ in 0..<50 where status.status != 0 {  // until the agent serves
            try await Task.sleep(for: .milliseconds(100))
            status = try stressd.run(["status", "--agent", "http://127.0.0.1:\(port)", "--token-file", tokenFile], local: false)
        }
        #expect(status.status == 0, "the agent answered on the passed socket, not the config's port 1: \(status.stderr)")
        kill(server.processIdentifier, SIGTERM)
        #expect(StressdBinary.finish(server, out, err).status == 0)

        let refusedPort = testPort()
        let (refused, refusedOut, refusedErr) = try activated(refusedPort, ["--listen", "127.0.0.1:\(refusedPort + 1)"])
        defer { refused.endIfRunning(SIGKILL) }
        let result = StressdBinary.finish(refused, refusedOut, refusedErr)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("ListenStream="), "\(result.stderr)")
    }

    @Test func servesHTTPSToTheCLI() async throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let certificate = stressd.stateDirectory + "/agent.pem"
        let key = stressd.stateDirectory + "/agent.key"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=stressd-test",
                             "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        let port = testPort()
        let tokenFile = try stressd.writeToken(String(repeating: "9a8b", count: 8))
        let (server, out, err) = try stressd.start(
            ["serve", "--listen", "127.0.0.1:\(port)", "--tls-cert", certificate, "--tls-key", key, "--token-file", tokenFile])
        // A test that fails before its own SIGTERM must not leave the agent running.
        defer { server.endIfRunning(SIGKILL) }
        let agent = ["--agent", "https://127.0.0.1:\(port)", "--token-file", tokenFile]
        var answered = false
        for _ in 0..<100 where !answered {
            answered = try stressd.run(["status", "--ca-file", certificate] + agent, local: false).status == 0
            if !answered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(answered, "the CLI reached the agent over HTTPS")
        let untrusted = try stressd.run(["status"] + agent, local: false)
        #expect(untrusted.status == 1 && untrusted.stderr.contains("TLS failed"), "[\(untrusted.stderr)]")
        // TLS 1.2 or later: a client offering only 1.1 (allowed on its side
        // at security level 0) is refused by the agent's protocol-version alert.
        func handshake(_ version: String) throws -> (status: Int32, output: String) {
            let client = Process()
            client.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            client.arguments = ["s_client", "-connect", "127.0.0.1:\(port)", version, "-cipher", "ALL:@SECLEVEL=0"]
            client.standardInput = FileHandle.nullDevice
            let output = Pipe()
            client.standardOutput = output
            client.standardError = output
            try client.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            client.waitUntilExit()
            return (client.terminationStatus, text)
        }
        #expect(try handshake("-tls1_2").status == 0)
        let old = try handshake("-tls1_1")
        #expect(old.status != 0 && old.output.contains("protocol version"), "\(old.output)")
        kill(server.processIdentifier, SIGTERM)
        #expect(StressdBinary.finish(server, out, err).status == 0)
    }
}
