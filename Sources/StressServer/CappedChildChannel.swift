import HummingbirdCore
import Logging
import NIOCore

/// A server child channel that admits each accepted connection through a
/// `ConnectionTable` before setting it up: a connection the table cannot
/// take is closed at once, so the agent keeps serving the ones it holds
/// instead of running out of file descriptors.
struct CappedChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let table: ConnectionTable

    /// Why a connection was closed as soon as it was accepted.
    struct AtCapacity: Error, CustomStringConvertible {
        let capacity: Int
        var description: String { "\(capacity) connections are all answering requests; closed a new one" }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard table.admit(channel) else {
            logger.warning("connection refused: at capacity", metadata: ["connections": "\(table.capacity)"])
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(AtCapacity(capacity: table.capacity))
        }
        let table = table
        channel.closeFuture.whenComplete { _ in table.remove(channel) }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
