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

/// The API served on a socket somebody else bound and listened on, as
/// systemd does for stressd.socket: the test plays systemd's part.
@Suite("The API on an inherited listening socket", .serialized)
struct InheritedSocketServerTests {
    /// A TCP socket listening on 127.0.0.1 at a port the kernel picks.
    func listeningSocket() throws -> CInt {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(descriptor, 16) == 0)
        return descriptor
    }

    @Test func servesTheRouterAndStopsGracefully() async throws {
        let descriptor = try listeningSocket()
        let (host, port) = try #require(InheritedSocketServer.localAddress(of: descriptor))
        #expect(host == "127.0.0.1" && port > 0)
        try await TestAPI.with(running: false) { api in
            let running = AsyncStream.makeStream(of: Void.self)
            let server = InheritedSocketServer(
                descriptor: descriptor, router: api.router, tls: nil, logger: Logger(label: "test"),
                onServerRunning: { running.continuation.yield() })
            let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var ready = running.stream.makeAsyncIterator()
                await ready.next()
                let endpoint = try AgentEndpoint(url: "http://127.0.0.1:\(port)", token: TestAPI.token)
                #expect(try await AgentClient(endpoint: endpoint).attacks().isEmpty)
                do {
                    _ = try await AgentClient(endpoint: try AgentEndpoint(url: "http://127.0.0.1:\(port)")).attacks()
                    Issue.record("the token middleware was skipped")
                } catch let error as ClientError {
                    guard case .problem(401, _, _, _) = error else { throw error }
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        // Closed on shutdown: nothing listens there any more.
        var client = try AgentClient(endpoint: try AgentEndpoint(url: "http://127.0.0.1:\(port)", token: TestAPI.token))
        client.timeout = .seconds(2)
        await #expect(throws: ClientError.self) { try await client.attacks() }
    }

    /// A TCP socket bound to ::1 at a port the kernel picks, or nil on a host without IPv6 loopback.
    static func ipv6LoopbackSocket() -> CInt? {
        let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        guard bound == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    @Test(.enabled(if: ipv6LoopbackSocket().map { close($0) } != nil, "needs IPv6 loopback"))
    func anIPv6SocketHasItsAddress() throws {
        let descriptor = try #require(Self.ipv6LoopbackSocket())
        defer { close(descriptor) }
        let (host, port) = try #require(InheritedSocketServer.localAddress(of: descriptor))
        #expect(host == "::1" && port > 0)
    }

    @Test func aNonTCPSocketHasNoAddress() throws {
        var pair: [CInt] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        #expect(InheritedSocketServer.localAddress(of: pair[0]) == nil)
        #expect(InheritedSocketServer.localAddress(of: -1) == nil)
    }
}
