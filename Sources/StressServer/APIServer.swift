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
import StressCore

/// Serves the API: on the socket systemd passes with socket activation
/// (`stressd.socket`, `sd_listen_fds`) or on one it binds itself. Each
/// connection goes through the HTTP/1.1 (and TLS) channel and connection
/// limits of `ConnectionLimits`, then the router. On graceful shutdown it
/// stops accepting and lets requests in flight finish, as Hummingbird does.
///
/// Hummingbird's `Application` binds only sockets of its own and keeps the
/// `Date` header in a cache a timer refreshes every second; an agent that
/// waits on thousands of hosts must not wake for that, so the date is
/// written per response instead (`HTTPDate`).
public struct APIServer: Service {
    /// Where the server accepts connections.
    public enum Listener: Sendable {
        /// A socket already listening, passed by systemd.
        case inherited(descriptor: CInt)
        /// A host and port to bind (port 0: one the kernel picks).
        case address(host: String, port: Int)
    }

    let listener: Listener
    let responder: HTTPChannelHandler.Responder
    let tls: TLSConfiguration?
    let limits: ConnectionLimits
    let logger: Logger
    let onServerRunning: @Sendable (_ port: Int) -> Void

    /// `onServerRunning` is called with the port once connections are
    /// accepted, `onResponse` after each response is written.
    public init(
        _ listener: Listener, router: Router<BasicRequestContext>, tls: TLSConfiguration?,
        limits: ConnectionLimits = .defaults, logger: Logger,
        onServerRunning: @escaping @Sendable (_ port: Int) -> Void = { _ in },
        onResponse: @escaping @Sendable () -> Void = {}
    ) {
        self.listener = listener
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
            response.headers[.date] = HTTPDate.now()
            try await writer.write(response: response.head, body: response.body)
            onResponse()
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
        let bootstrap = ServerBootstrap(group: group)
            // As Hummingbird's own server: its backlog, and half-closed
            // connections kept open until the response is written.
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelInitializer { channel in
                child.setup(channel: channel, logger: logger).map { accepted.yield($0) }
            }
        let server: any Channel
        switch listener {
        case .inherited(let descriptor): server = try await bootstrap.withBoundSocket(descriptor).get()
        case .address(let host, let port):
            do {
                server = try await bootstrap.bind(host: host, port: port).get()
            } catch {
                throw InputError.rejected(
                    field: "listen",
                    reason: "cannot listen on \(host):\(port) (\(error)); if another process holds the port, stop it or choose another address with --listen (or listen in stressd.toml)")
            }
        }
        onServerRunning(server.localAddress?.port ?? 0)
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
}
