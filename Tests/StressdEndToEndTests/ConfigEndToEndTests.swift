import Foundation
import Glibc
import Testing

/// stressd.toml as the operator sets it: the policy binds local attacks and
/// the agent's, flags override it, and mistakes exit 2 before anything starts.
@Suite("stressd.toml, end to end", .serialized)
struct ConfigEndToEndTests {
    func write(_ text: String, in stressd: StressdBinary) throws -> String {
        let path = stressd.stateDirectory + "/stressd.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func target(in stressd: StressdBinary) throws -> String {
        let path = stressd.stateDirectory + "/target"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theConfigsFloorBindsAndTheFlagOverridesIt() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let config = try write("[policy]\ndisk-floor = \"100%\"\n", in: stressd)
        let target = try target(in: stressd)
        let refused = try stressd.run(["disk", "--config", config, "--path", target, "--size", "8M", "--duration", "1s"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("floor"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty, "nothing created")

        let overridden = try stressd.run(["disk", "--config", config, "--floor", "0", "--path", target, "--size", "8M", "--duration", "1s"])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty, "and cleaned up")
    }

    @Test func theStateDirectoryIsTheFlagsElseTheEnvironmentsElseTheConfigs() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let (flag, environment, configured) = (stressd.stateDirectory + "/flag", stressd.stateDirectory + "/env", stressd.stateDirectory + "/config")
        let config = try write("state-dir = \"\(configured)\"\n", in: stressd)
        /// Where a 200 ms attack run this way saved its report.
        func reportFolder(_ arguments: [String], environment variables: [String] = []) throws -> String? {
            let result = try stressd.run(["cpu", "--load", "5%", "--cores", "1", "--duration", "200ms", "--json"] + arguments, local: false) {
                ("/usr/bin/env", variables + [$0] + $1)
            }
            let id = try #require(try decodeJSON(result.stdout)["id"] as? String, "\(arguments) \(variables): \(result.stderr)")
            return [flag, environment, configured].first { FileManager.default.fileExists(atPath: "\($0)/reports/\(id).json") }
        }

        #expect(try reportFolder(["--config", config]) == configured)
        #expect(try reportFolder([], environment: ["STRESSD_CONFIG=\(config)"]) == configured, "$STRESSD_CONFIG names the config")
        #expect(try reportFolder(["--config", config], environment: ["STRESSD_STATE_DIR=\(environment)"]) == environment)
        #expect(try reportFolder(["--config", config, "--state-dir", flag], environment: ["STRESSD_STATE_DIR=\(environment)"]) == flag)
    }

    @Test func mistakesExit2NamingTheLine() throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let config = try write("[policy]\nmemory-flor = \"1G\"\n", in: stressd)
        let typo = try stressd.run(["cpu", "--config", config, "--load", "10%", "--duration", "1s"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("line 2: unknown key policy.memory-flor"), "\(typo.stderr)")
        let missing = try stressd.run(["status", "--config", stressd.stateDirectory + "/none.toml"])
        #expect(missing.status == 2 && missing.stderr.contains("does not exist"), "\(missing.stderr)")
        #expect(stressd.ledgerFiles.isEmpty)
    }

    @Test func theAgentListensWhereTheConfigSaysAndAppliesItsPolicy() async throws {
        let stressd = try StressdBinary()
        defer { stressd.remove() }
        let port = testPort()
        let tokenFile = try stressd.writeToken(String(repeating: "77aa", count: 8))
        let config = try write(
            "listen = \"127.0.0.1:\(port)\"\ntoken-file = \"\(tokenFile)\"\n[policy]\ndisk-floor = \"100%\"\n", in: stressd)
        let target = try target(in: stressd)
        let (server, out, err) = try stressd.start(["serve", "--config", config])
        // A test that fails before its own SIGTERM must not leave the agent running.
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() } }
        let agent = ["--agent", "http://127.0.0.1:\(port)", "--token-file", tokenFile]
        var listening = false
        for _ in 0..<100 where !listening {
            listening = try stressd.run(["status"] + agent, local: false).status == 0
            if !listening { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(listening, "serve listens on the config's address")
        let refused = try stressd.run(["disk", "--path", target, "--size", "8M", "--duration", "1s"] + agent, local: false)
        #expect(refused.status == 2 && refused.stderr.contains("422"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
        kill(server.processIdentifier, SIGTERM)
        #expect(StressdBinary.finish(server, out, err).status == 0)
    }
}
