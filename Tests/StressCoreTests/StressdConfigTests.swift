import Foundation
import StressCore
import Testing

@Suite("stressd.toml")
struct StressdConfigTests {
    @Test func everyKeyLandsInItsSetting() throws {
        let config = try StressdConfig(parsing: """
            listen = "0.0.0.0:7443"
            token-file = "/etc/stressd/token"
            max-attacks = 3
            state-dir = "/srv/stressd"
            [policy]
            max-duration = "10m"
            memory-floor = "1G"
            disk-floor = "5%"
            max-load-avg = 12
            abort-unless = ["pressure memory full=10%", "tcp 127.0.0.1:5432 every=250ms"]
            [tls]
            certificate = "/etc/stressd/tls/agent.pem"
            key = "/etc/stressd/tls/agent.key"
            client-ca = "/etc/stressd/tls/ca.pem"
            [reports]
            keep = 50
            max-age = "48h"
            """, source: "test.toml")
        #expect(config.reportRetention == ReportRetention(keep: 50, maxAge: .seconds(48 * 3600)))
        #expect(config.tlsCertificate == "/etc/stressd/tls/agent.pem" && config.tlsKey == "/etc/stressd/tls/agent.key")
        #expect(config.tlsClientCA == "/etc/stressd/tls/ca.pem")
        #expect(config.listen == "0.0.0.0:7443" && config.tokenFile == "/etc/stressd/token")
        #expect(config.maxAttacks == 3 && config.stateDirectory == "/srv/stressd")
        var policy = SafetyPolicy(
            maxDuration: .seconds(600), memoryFloor: .bytes(ByteCount(bytes: 1 << 30)),
            diskFloor: .share(try Percentage(parsing: "5%", field: "x")), maxLoadAverage: 12)
        policy.abortConditions = try ["pressure memory full=10%", "tcp 127.0.0.1:5432 every=250ms"].map { line in
            var condition = try AbortCondition(line: line)
            condition.source = .policy
            return condition
        }
        #expect(config.policy == policy)
    }

    @Test func anEmptyFileIsTheDefaults() throws {
        #expect(try StressdConfig(parsing: "# nothing set\n", source: "test.toml") == StressdConfig())
    }

    @Test(arguments: [
        ("[policy]\nmemory-flor = \"1G\"", "unknown key policy.memory-flor"),
        ("max-attacks = 0", "max-attacks (test.toml line 1)"),
        ("max-attacks = \"8\"", "a whole number"),
        ("[policy]\nmax-duration = \"forever\"", "max-duration (test.toml line 2)"),
        ("[policy]\ndisk-floor = \"120%\"", "disk-floor"),
        ("[policy]\nmax-load-avg = -1", "above 0"),
        ("[policy]\nabort-unless = \"tcp a:1\"", "a list of quoted conditions"),
        ("[policy]\nabort-unless = [1]", "a quoted condition"),
        ("[policy]\nabort-unless = [\"tcp a\"]", "abort-unless tcp address"),
        ("listen = 7070", "a quoted string"),
        ("[reports]\nkeep = 0", "keep (test.toml line 2)"),
        ("[reports]\nmax-age = \"30s\"", "at least 1m"),
        ("[reports]\nmax-age = 3", "a quoted string"),
        ("listen = \"x\"\nlisten = \"y\"", "test.toml line 2: listen is set twice"),
    ])
    func mistakesAreInputErrorsNamingFileLineAndKey(text: String, words: String) {
        #expect {
            try StressdConfig(parsing: text, source: "test.toml")
        } throws: { error in
            (error as? InputError)?.description.contains(words) == true
        }
    }

    /// The file `make install` puts in /etc/stressd: what it sets is the
    /// built-in default, and every commented-out example is valid too.
    @Test func theShippedFileMatchesTheDefaultsAndItsExamplesParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("config/stressd.toml"), encoding: .utf8)
        let shipped = try StressdConfig(parsing: text, source: "config/stressd.toml")
        #expect(shipped.policy == .default)
        #expect(shipped.listen == "127.0.0.1:7070" && shipped.maxAttacks == 8)
        #expect(shipped.reportRetention == .default)
        let example = try Regex("^# [a-z-]+ = ")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.filter { $0.firstMatch(of: example) != nil }.count >= 5)
        let uncommented = lines.map { $0.firstMatch(of: example) != nil ? String($0.dropFirst(2)) : $0 }.joined(separator: "\n")
        let everything = try StressdConfig(parsing: uncommented, source: "config/stressd.toml, uncommented")
        #expect(everything.tokenFile != nil && everything.stateDirectory != nil)
        #expect(everything.tlsCertificate != nil && everything.tlsKey != nil && everything.tlsClientCA != nil)
        #expect(everything.policy.memoryFloor != nil && everything.policy.diskFloor != nil && everything.policy.maxLoadAverage != nil)
        #expect(everything.policy.abortConditions.count == 2 && everything.policy.abortConditions.allSatisfy { $0.source == .policy })
    }
}
