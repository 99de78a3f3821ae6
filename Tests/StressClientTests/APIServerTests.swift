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
/// systemd does for stressd.socket (the test plays systemd's part), and on
/// one the server binds itself.
@Suite("The API server, on an inherited socket or its own", .serialized)
struct APIServerTests {
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
        let (host, port) = try #require(APIServer.localAddress(of: descriptor))
        #expect(host == "127.0.0.1" && port > 0)
        try await TestAPI.with(running: false) { api in
            let running = AsyncStream.makeStream(of: Void.self)
            let server = APIServer(
                .inherited(descriptor: descriptor), router: api.router, tls: nil, logger: Logger(label: "test"),
                onServerRunning: { _ in running.continuation.yield() })
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

    /// Without Hummingbird's Application and its date cache (a timer that
    /// woke the idle agent every second), each response still carries the
    /// Date an HTTP/1.1 origin server must send, and the Server header.
    @Test func anAddressItBindsServesTheRouterWithDateAndServerHeaders() async throws {
        try await TestAPI.with(running: false) { api in
            let running = AsyncStream.makeStream(of: Int.self)
            let server = APIServer(
                .address(host: "127.0.0.1", port: 0), router: api.router, tls: nil, logger: Logger(label: "test"),
                onServerRunning: { running.continuation.yield($0) })
            let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var ports = running.stream.makeAsyncIterator()
                let port = try #require(await ports.next())
                #expect(port > 0, "the port the kernel picked")
                let endpoint = try AgentEndpoint(url: "http://127.0.0.1:\(port)", token: TestAPI.token)
                #expect(try await AgentClient(endpoint: endpoint).attacks().isEmpty)

                let before = time(nil)
                let head = try Self.responseHead(port: port, request: "GET /v1/attacks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(head.hasPrefix("HTTP/1.1 401"), "no token: \(head)")
                #expect(head.lowercased().contains("\r\nserver: stressd\r\n"), "\(head)")
                let dates = [before, before + 1].map { Self.imfFixdate($0) }
                #expect(dates.contains { head.lowercased().contains("\r\ndate: \($0.lowercased())\r\n") }, "\(head) has none of \(dates)")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    /// RFC 9110's date format, from Foundation's formatter: an oracle the
    /// server's hand-written one is checked against.
    static func imfFixdate(_ seconds: time_t) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Sends `request` to 127.0.0.1:`port` and reads up to the end of the
    /// response head.
    static func responseHead(port: Int, request: String) throws -> String {
        let descriptor = try InheritedSocketLimitsTests().idleConnection(to: port)
        defer { close(descriptor) }
        try #require(Array(request.utf8).withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) } == request.utf8.count)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
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
        let (host, port) = try #require(APIServer.localAddress(of: descriptor))
        #expect(host == "::1" && port > 0)
    }

    @Test func aNonTCPSocketHasNoAddress() throws {
        var pair: [CInt] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        #expect(APIServer.localAddress(of: pair[0]) == nil)
        #expect(APIServer.localAddress(of: -1) == nil)
    }
}
