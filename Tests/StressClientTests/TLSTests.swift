import Foundation
import Hummingbird
import HummingbirdTesting
import StressAgent
import StressClient
import StressCore
import StressServer
import TestSupport
import Testing

/// HTTPS and mutual TLS between the CLI's client and the agent, with real
/// certificates from a throw-away CA.
@Suite("TLS and mutual TLS", .serialized)
struct TLSTests {
    func withAgent(_ tls: ServerTLS, _ body: @Sendable (Int) async throws -> Void) async throws {
        try await TestAPI.with(token: nil) { api in
            try await api.live(server: ConnectionLimits.defaults.httpServer(tls: try tls.configuration()), body)
        }
    }

    func client(_ url: String, _ tls: ClientTLS) throws -> AgentClient {
        var client = try AgentClient(endpoint: try AgentEndpoint(url: url), tls: tls)
        client.timeout = .seconds(5)
        return client
    }

    func expectTLSFailure(_ client: AgentClient) async {
        do {
            _ = try await client.attacks()
            Issue.record("the TLS handshake should have failed")
        } catch {
            guard case .unreachable(_, let reason) = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(reason.contains("TLS failed"), "\(reason)")
        }
    }

    @Test func httpsWithTheAgentsCA() async throws {
        let certificates = try TestCertificates()
        let tls = ServerTLS(certificateFile: certificates.path("agent.pem"), keyFile: certificates.path("agent.key"))
        try await withAgent(tls) { port in
            let trusted = ClientTLS(caFile: certificates.path("ca.pem"))
            #expect(try await client("https://127.0.0.1:\(port)", trusted).attacks().isEmpty)
            #expect(try await client("https://localhost:\(port)", trusted).attacks().isEmpty)
            // The system's trust store does not know the test CA.
            await expectTLSFailure(try client("https://127.0.0.1:\(port)", ClientTLS()))
            // Plain HTTP to a TLS port gets no HTTP answer.
            do {
                _ = try await client("http://127.0.0.1:\(port)", ClientTLS()).attacks()
                Issue.record("plain HTTP was answered on the TLS port")
            } catch {}
        }
    }

    @Test func mutualTLSWantsAClientCertificateFromItsCA() async throws {
        let certificates = try TestCertificates()
        let tls = ServerTLS(
            certificateFile: certificates.path("agent.pem"), keyFile: certificates.path("agent.key"),
            clientCAFile: certificates.path("ca.pem"))
        try await withAgent(tls) { port in
            let url = "https://127.0.0.1:\(port)"
            let ca = certificates.path("ca.pem")
            let withCertificate = ClientTLS(caFile: ca, certificateFile: certificates.path("client.pem"), keyFile: certificates.path("client.key"))
            #expect(try await client(url, withCertificate).attacks().isEmpty)
            await expectTLSFailure(try client(url, ClientTLS(caFile: ca)))
            await expectTLSFailure(try client(url, ClientTLS(
                caFile: ca, certificateFile: certificates.path("stranger.pem"), keyFile: certificates.path("stranger.key"))))
        }
    }

    @Test func badSettingsAreInputErrors() throws {
        let certificates = try TestCertificates()
        #expect(throws: InputError.self) {
            try ServerTLS(certificateFile: "/nonexistent.pem", keyFile: certificates.path("agent.key")).configuration()
        }
        #expect(throws: InputError.self) {
            try ServerTLS(certificateFile: certificates.path("agent.pem"), keyFile: certificates.path("ca.pem")).configuration()
        }
        #expect(throws: InputError.self) {
            try AgentClient(endpoint: try AgentEndpoint(url: "http://127.0.0.1:7070"), tls: ClientTLS(caFile: certificates.path("ca.pem")))
        }
        #expect(throws: InputError.self) {
            try AgentClient(endpoint: try AgentEndpoint(url: "https://127.0.0.1:7070"), tls: ClientTLS(certificateFile: certificates.path("client.pem")))
        }
        #expect(throws: InputError.self) {
            try AgentClient(endpoint: try AgentEndpoint(url: "https://127.0.0.1:7070"), tls: ClientTLS(caFile: "/nonexistent.pem"))
        }
    }
}
