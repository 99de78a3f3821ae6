import NIOCore
import NIOPosix

/// Whether a TCP port accepts a connection: connects, and closes at once.
/// What the agent's tcp abort condition asks of a database or a cache.
public enum TCPConnect {
    /// Returns once connected; fails after `timeout`, or at once when the
    /// connection is refused, with the reason in strerror's words.
    public static func probe(host: String, port: Int, timeout: Duration) async throws(NetworkFailure) {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(timeout))
                .connect(host: host, port: port).get()
            try? await channel.close()
        } catch ChannelError.connectTimeout {
            throw .timedOut(timeout)
        } catch {
            throw .unreachable(OneShotHTTP.reason(for: error))
        }
    }
}
