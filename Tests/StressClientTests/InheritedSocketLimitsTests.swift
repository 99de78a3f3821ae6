import Foundation
import Glibc
import Logging
import ServiceLifecycle
import StressAgent
import StressClient
import StressCore
import StressServer
import TestSupport
import Testing

/// Issue 12, finding 3, on the socket systemd passes (stressd.socket): idle
/// connections beyond the cap make room for a request, and none stays
/// past the idle timeout.
@Suite("Connection limits on an inherited socket", .serialized)
struct InheritedSocketLimitsTests {
    /// Connects to 127.0.0.1:`port` and sends nothing.
    func idleConnection(to port: Int) throws -> CInt {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        return descriptor
    }

    /// Whether the server has closed its end: end of file or a reset.
    func isClosedByPeer(_ descriptor: CInt) -> Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_DONTWAIT))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    @Test func idleConnectionsMakeRoomAndTimeOut() async throws {
        let descriptor = try APIServerTests().listeningSocket()
        let (_, port) = try #require(APIServer.localAddress(of: descriptor))
        try await TestAPI.with(running: false) { api in
            let running = AsyncStream.makeStream(of: Void.self)
            let server = APIServer(
                .inherited(descriptor: descriptor), router: api.router, tls: nil,
                limits: ConnectionLimits(maxConnections: 8, idleTimeout: .milliseconds(800)), logger: Logger(label: "test"),
                onServerRunning: { _ in running.continuation.yield() })
            let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
            var idle: [CInt] = []
            defer { idle.forEach { close($0) } }
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var ready = running.stream.makeAsyncIterator()
                await ready.next()
                for _ in 0..<30 { idle.append(try idleConnection(to: port)) }
                // Each of the 30 beyond the cap of 8 evicts one: once 22 are
                // closed, all 30 have been admitted. Without this wait the
                // event loops may still admit some after the request's
                // connection and, it being idle until its head is read,
                // evict it: the window a real client shares with a flood.
                let admitted = ContinuousClock.now + .seconds(3)
                while idle.filter(isClosedByPeer).count < 22, ContinuousClock.now < admitted {
                    try await Task.sleep(for: .milliseconds(10))
                }

                // Answered although the cap is full of idle connections (the
                // end-to-end test bounds the time; here other suites share the CPU).
                var client = try AgentClient(endpoint: try AgentEndpoint(url: "http://127.0.0.1:\(port)", token: TestAPI.token))
                client.timeout = .seconds(5)
                #expect(try await client.attacks().isEmpty)

                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(3)
                while idle.contains(where: { !isClosedByPeer($0) }), clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(idle.filter { !isClosedByPeer($0) }.isEmpty, "idle connections outlived the idle timeout")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
