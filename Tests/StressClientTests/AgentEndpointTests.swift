import StressClient
import StressCore
import Testing

@Suite("--agent URLs")
struct AgentEndpointTests {
    @Test func schemeHostPortAndPrefix() throws {
        let plain = try AgentEndpoint(url: "http://10.0.0.5")
        #expect(!plain.secure && plain.host == "10.0.0.5" && plain.port == 7070 && plain.basePath == "")
        let secure = try AgentEndpoint(url: "HTTPS://agent.example:7443/stressd/")
        #expect(secure.secure && secure.port == 7443 && secure.basePath == "/stressd")
        #expect(secure.description == "https://agent.example:7443/stressd")
        let ipv6 = try AgentEndpoint(url: "http://[::1]:9000")
        #expect(ipv6.host == "::1" && ipv6.description == "http://[::1]:9000")
    }

    @Test(arguments: ["", "10.0.0.5:7070", "ftp://host", "http://", "http://host?x=1", "http://u:p@host", "http://host:0"])
    func refusesWhatIsNotAnAgentURL(_ text: String) {
        #expect(throws: InputError.self) { try AgentEndpoint(url: text) }
    }
}
