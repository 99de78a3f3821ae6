import NIOCore
import NIOHTTPTypes

/// Tells the `ConnectionTable` when a connection starts and finishes
/// answering a request, so that only idle connections are closed to make
/// room. Sits after HTTP decoding, where whole request and response parts
/// pass; a request counts from its end, not its head, so a body trickled
/// in a byte at a time does not shield a connection from eviction.
final class ConnectionActivityHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let table: ConnectionTable

    init(table: ConnectionTable) {
        self.table = table
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { table.requestReceived(on: context.channel) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { table.responseSent(on: context.channel) }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension ConnectionActivityHandler: Sendable {}
