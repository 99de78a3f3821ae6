import NIOCore

/// First in the pipeline of a request that carries a secret: when the
/// connection becomes active, before TLS sends its first byte or HTTP its
/// request, it looks up who holds the server's end (`ServerSocketOwner`)
/// and lets the connection go on only if root or this user does; else the
/// channel closes with the failure, and nothing was sent.
final class ServerOwnerCheck: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func channelActive(context: ChannelHandlerContext) {
        do {
            guard let local = context.channel.localAddress, let remote = context.channel.remoteAddress else {
                throw NetworkFailure.cutOff("the connection closed before anything was sent")
            }
            try ServerSocketOwner.requireTrusted(local: local, remote: remote)
            context.fireChannelActive()
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }
}
