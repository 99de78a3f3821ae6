import NIOCore
import NIOEmbedded
@testable import StressServer
import Testing

/// Issue 12, finding 3: at capacity, the connection idle the longest makes
/// room; a connection answering a request never does.
@Suite("The connection table")
struct ConnectionTableTests {
    func connected() async throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        return channel
    }

    @Test func aNewcomerTakesThePlaceOfTheConnectionIdleTheLongest() async throws {
        let table = ConnectionTable(capacity: 2, stallLimit: .seconds(60))
        let first = try await connected()
        let second = try await connected()
        #expect(table.admit(first) && table.admit(second))
        // The first answers a request, so it is the more recently active.
        table.requestReceived(on: first)
        table.responseSent(on: first)
        let third = try await connected()
        #expect(table.admit(third))
        #expect(first.isActive && !second.isActive && third.isActive)
        #expect(table.count == 2)
    }

    @Test func connectionsAnsweringRequestsAreNeverClosedToMakeRoom() async throws {
        let table = ConnectionTable(capacity: 2, stallLimit: .seconds(60))
        let busy = [try await connected(), try await connected()]
        for channel in busy {
            #expect(table.admit(channel))
            table.requestReceived(on: channel)
        }
        let refused = try await connected()
        #expect(!table.admit(refused), "every connection is answering: the newcomer goes")
        #expect(busy[0].isActive && busy[1].isActive)
        table.responseSent(on: busy[0])
        let admitted = try await connected()
        #expect(table.admit(admitted))
        #expect(!busy[0].isActive && busy[1].isActive)
    }

    /// A client that pipelines requests and never reads the answers keeps
    /// a response unwritten for good: past the stall limit it gives way.
    @Test func aConnectionStalledOnItsResponseMakesRoomAfterTheStallLimit() async throws {
        let table = ConnectionTable(capacity: 1, stallLimit: .milliseconds(50))
        let stuck = try await connected()
        #expect(table.admit(stuck))
        table.requestReceived(on: stuck)
        let early = try await connected()
        #expect(!table.admit(early), "a response in progress is not yet stalled")
        try await Task.sleep(for: .milliseconds(100))
        let newcomer = try await connected()
        #expect(table.admit(newcomer))
        #expect(!stuck.isActive && newcomer.isActive)
    }

    /// An evicted connection's late close must not forget a newer one.
    @Test func removingAnEvictedConnectionLeavesTheOthers() async throws {
        let table = ConnectionTable(capacity: 1, stallLimit: .seconds(60))
        let old = try await connected()
        #expect(table.admit(old))
        let new = try await connected()
        #expect(table.admit(new))
        table.remove(old)
        #expect(table.count == 1)
        table.remove(new)
        #expect(table.count == 0)
    }
}
