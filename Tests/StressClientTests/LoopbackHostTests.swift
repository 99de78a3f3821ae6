import OneShotNetwork
import StressClient
import StressCore
import Testing

/// Issue 12, finding 7: what counts as loopback is parsed, never guessed
/// from a prefix, and a name other than `localhost` never counts.
@Suite("Loopback hosts and cleartext tokens")
struct LoopbackHostTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "127.255.255.254", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost"])
    func loopback(_ host: String) {
        #expect(LoopbackHost.contains(host))
    }

    @Test(arguments: [
        "127.evil.example", "127.0.0.1.nip.io", "localhost.evil.example", "LOCALHOST.", "10.0.0.5", "0.0.0.0", "::", "::2",
        "::ffff:10.0.0.1", "128.0.0.1", "", "127.1", "0x7f.0.0.1",
    ])
    func notLoopback(_ host: String) {
        #expect(!LoopbackHost.contains(host))
    }

    @Test func theTokenGoesOverHTTPOnlyToLoopback() throws {
        #expect(throws: InputError.self) { try AgentEndpoint(url: "http://10.0.0.5:7070", token: "t") }
        #expect(throws: InputError.self) { try AgentEndpoint(url: "http://127.evil.example", token: "t") }
        #expect(try AgentEndpoint(url: "http://10.0.0.5:7070", token: "t", allowCleartext: true).token == "t")
        #expect(try AgentEndpoint(url: "https://10.0.0.5:7070", token: "t").secure)
        #expect(try AgentEndpoint(url: "http://127.0.0.1:7070", token: "t").token == "t")
        #expect(try AgentEndpoint(url: "http://[::1]:7070", token: "t").host == "::1")
        // Without a token there is nothing to leak.
        #expect(try AgentEndpoint(url: "http://10.0.0.5:7070").token == nil)
    }
}
