import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Testing
import TestSupport

/// Issue 12, finding 3: a local user who opens connections and sends
/// nothing must not lock the operator out of the agent, nor hold the
/// connections for ever.
@Suite("stressd serve under idle connections, end to end", .serialized)
struct IdleConnectionsEndToEndTests {
    /// Opens COUNT connections to PORT, says how many, then waits up to HOLD
    /// seconds for the server to close them and says how many it closed.
    static let flood = """
        import select, socket, sys, time
        port, count, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
        socks, begun = [], time.monotonic()
        for _ in range(count):
            if time.monotonic() - begun > 10:
                break
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect(("127.0.0.1", port))
                socks.append(s)
            except OSError:
                s.close()
        print("connected", len(socks), flush=True)
        poller, by_fd, open_, start = select.poll(), {}, set(socks), time.monotonic()
        for s in socks:
            poller.register(s, select.POLLIN)
            by_fd[s.fileno()] = s
        while open_ and time.monotonic() - start < hold:
            for fd, _ in poller.poll(100):
                s = by_fd[fd]
                try:
                    data = s.recv(1)
                except OSError:
                    data = b""
                if not data and s in open_:
                    open_.discard(s)
                    poller.unregister(s)
        print("closed", len(socks) - len(open_), flush=True)
        """

    /// 300 idle connections from an unprivileged user against a cap of 100
    /// and a 2 s idle timeout: the operator's requests answer at once, and
    /// every idle connection is closed within the timeout (plus margin).
    @Test(.enabled(if: UnprivilegedUser.isAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func idleConnectionsNeitherLockOutTheOperatorNorStay() async throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let token = String(repeating: "1d1e", count: 8)
        let port = testPort()
        let base = "http://127.0.0.1:\(port)"
        let (server, out, err) = try stressd.start(
            ["serve", "--listen", "127.0.0.1:\(port)", "--token-file", try stressd.writeToken(token),
             "--max-connections", "100", "--idle-timeout", "2s"])
        // A test that fails before its own SIGTERM must not leave the agent running.
        defer { server.endIfRunning(SIGKILL) }
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGTERM) }
            _ = StressdBinary.finish(server, out, err)
        }
        #expect(await Self.answer(base + "/healthz", token: nil, within: 5) == 200, "the agent started")

        let script = try TemporaryDirectory()
        chmod(script.path.string, 0o755)
        let path = script.path.string + "/flood.py"
        try Self.flood.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        let (command, arguments) = UnprivilegedUser.wrap("/usr/bin/python3", [path, String(port), "300", "8"])
        let attacker = Process()
        attacker.executableURL = URL(fileURLWithPath: command)
        attacker.arguments = arguments
        let output = Pipe()
        attacker.standardOutput = output
        try attacker.run()
        defer { if attacker.isRunning { kill(attacker.processIdentifier, SIGKILL) } }
        let connected = output.nextLine()
        #expect(connected == "connected 300", "\(connected)")

        let clock = ContinuousClock()
        let started = clock.now
        #expect(await Self.answer(base + "/healthz", token: nil, within: 1) == 200)
        #expect(await Self.answer(base + "/v1/attacks", token: token, within: 1) == 200)
        let elapsed = clock.now - started
        #expect(elapsed < .seconds(1), "both requests took \(elapsed)")

        let closed = output.nextLine()
        #expect(closed == "closed 300", "the idle timeout closes every idle connection: \(closed)")
    }

    /// The status of one GET, or nil if it took longer than `seconds`.
    static func answer(_ url: String, token: String?, within seconds: Double) async -> Int? {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: seconds)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for _ in 0..<Int(seconds / 0.05) {
            if let (_, response) = try? await URLSession.shared.data(for: request) {
                return (response as? HTTPURLResponse)?.statusCode
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
