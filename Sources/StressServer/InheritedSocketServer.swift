import Glibc
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// Serves the API on a socket that is already listening: the one systemd
/// passes with socket activation (`stressd.socket`, `sd_listen_fds`).
/// Hummingbird's server only binds sockets of its own, so this accepts on
/// the inherited one and gives each connection to the same HTTP/1.1 (and
/// TLS) channel, connection limits and router the bound server uses. On
/// graceful shutdown it stops accepting and lets requests in flight finish,
/// as Hummingbird does.
public struct InheritedSocketServer: Service {
    let descriptor: CInt
    let responder: HTTPChannelHandler.Responder
    let tls: TLSConfiguration?
    let limits: ConnectionLimits
    let logger: Logger
    let onServerRunning: @Sendable () -> Void

    public init(
        descriptor: CInt, router: Router<BasicRequestContext>, tls: TLSConfiguration?,
        limits: ConnectionLimits = .defaults, logger: Logger,
        onServerRunning: @escaping @Sendable () -> Void = {}
    ) {
        self.descriptor = descriptor
        self.tls = tls
        self.limits = limits
        self.logger = logger
        self.onServerRunning = onServerRunning
        let routes = router.buildResponder()
        responder = { request, writer, channel in
            let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await routes.respond(to: request, context: context)
            } catch {
                // The router answers every error it knows; the rest is a 500, as in Hummingbird.
                logger.debug("unanswered error", metadata: ["error": "\(error)"])
                response = Response(status: .internalServerError)
            }
            response.headers[.server] = "stressd"
            try await writer.write(response: response.head, body: response.body)
        }
    }

    public func run() async throws {
        try await serve(try limits.childChannel(responder, tls: tls))
    }

    private func serve<Child: ServerChildChannel>(_ child: Child) async throws {
        let (connections, accepted) = AsyncStream.makeStream(of: Child.Value.self)
        let group = MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: group)
        let logger = logger
        _ = try await ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelInitializer { channel in
                child.setup(channel: channel, logger: logger).map { accepted.yield($0) }
            }
            .withBoundSocket(descriptor).get()
        onServerRunning()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { connectionTasks in
                for await connection in connections {
                    connectionTasks.addTask { await child.handle(value: connection, logger: logger) }
                }
            }
        } onGracefulShutdown: {
            let closed = group.any().makePromise(of: Void.self)
            closed.futureResult.whenComplete { _ in accepted.finish() }
            quiescing.initiateShutdown(promise: closed)
        }
    }

    /// The host and port the inherited socket listens on, or nil when it
    /// is not a TCP socket: the loopback rule for tokens needs the address.
    public static func localAddress(of descriptor: CInt) -> (host: String, port: Int)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET: return describe(storage, as: sockaddr_in.self, address: \.sin_addr, port: \.sin_port, family: AF_INET)
        case AF_INET6: return describe(storage, as: sockaddr_in6.self, address: \.sin6_addr, port: \.sin6_port, family: AF_INET6)
        default: return nil
        }
    }

    /// Host text (inet_ntop) and port of a socket address of one family.
    private static func describe<Socket, Address>(
        _ storage: sockaddr_storage, as: Socket.Type, address: KeyPath<Socket, Address>, port: KeyPath<Socket, in_port_t>,
        family: Int32
    ) -> (host: String, port: Int)? {
        var storage = storage
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: Socket.self, capacity: 1) { socket in
                var raw = socket.pointee[keyPath: address]
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                guard inet_ntop(family, &raw, &text, socklen_t(text.count)) != nil else { return nil }
                return (String(cString: text), Int(UInt16(bigEndian: socket.pointee[keyPath: port])))
            }
        }
    }
}
