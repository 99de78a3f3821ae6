import Foundation
import Glibc
import StressClient
import StressCore
import Synchronization
import TestSupport
import Testing

/// A connection the agent closes before answering (at its connection limit
/// it closes the one idle the longest, which can be one whose request is
/// on its way): a request that may be repeated is sent again, one that
/// starts an attack is not, and says the attack may have started.
@Suite("Requests cut off before the answer", .serialized)
struct CutOffRetryTests {
    /// Resets its first `cut` connections as soon as it accepts them, and
    /// answers the others `200 []`.
    final class CuttingServer: Sendable {
        let port: Int
        let connections = Mutex(0)
        private let listener: Int32

        init(cut: Int) throws {
            let socket = try LoopbackSocket()
            guard socket.listen() else { throw POSIXError(.EADDRINUSE) }
            listener = dup(socket.descriptor)
            port = socket.port
            Thread.detachNewThread { [self] in
                while true {
                    let connection = accept(listener, nil, nil)
                    guard connection >= 0 else { return }
                    let count = connections.withLock { count in
                        count += 1
                        return count
                    }
                    if count <= cut {
                        // SO_LINGER 0: close sends a reset, as when unread bytes are dropped.
                        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                        setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    } else {
                        Self.answer(connection)
                    }
                    close(connection)
                }
            }
        }

        private static func answer(_ connection: Int32) {
            var request: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
                let count = read(connection, &buffer, buffer.count)
                guard count > 0 else { return }
                request += buffer[0..<count]
            }
            let response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]"
            _ = response.withCString { write(connection, $0, Int(strlen($0))) }
        }

        /// Stops accepting: the accept loop ends.
        func stop() {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    @Test func aRequestThatMayBeRepeatedIsSentAgain() async throws {
        let server = try CuttingServer(cut: 1)
        defer { server.stop() }
        let client = try AgentClient(endpoint: try AgentEndpoint(url: "http://127.0.0.1:\(server.port)", token: "t"))
        #expect(try await client.attacks().isEmpty)
        #expect(server.connections.withLock { $0 } == 2, "cut once, answered the second time")
    }

    @Test func aRequestCutTwiceIsAnErrorSayingSo() async throws {
        let server = try CuttingServer(cut: 2)
        defer { server.stop() }
        let client = try AgentClient(endpoint: try AgentEndpoint(url: "http://127.0.0.1:\(server.port)", token: "t"))
        await #expect {
            _ = try await client.reports()
        } throws: { error in
            "\(error)".contains("before a whole answer, twice")
        }
        #expect(server.connections.withLock { $0 } == 2, "sent twice, no more")
    }

    /// A second start could start a second attack; a second halt would
    /// answer with none of what the first stopped.
    @Test(arguments: ["start", "halt"])
    func startingAnAttackOrHaltingAllIsNeverSentTwice(_ request: String) async throws {
        let server = try CuttingServer(cut: 1)
        defer { server.stop() }
        let client = try AgentClient(endpoint: try AgentEndpoint(url: "http://127.0.0.1:\(server.port)", token: "t"))
        await #expect {
            if request == "start" {
                _ = try await client.start(FlatParameters(["kind": "cpu", "load": "10", "duration": "1s"]))
            } else {
                _ = try await client.haltAll()
            }
        } throws: { error in
            "\(error)".contains("may or may not have carried out \(request == "start" ? "POST" : "DELETE") /v1/attacks")
        }
        #expect(server.connections.withLock { $0 } == 1, "one attempt only")
    }
}
