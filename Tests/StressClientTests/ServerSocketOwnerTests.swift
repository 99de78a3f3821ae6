import Glibc
import NIOCore
@testable import OneShotNetwork
import Testing

/// Who holds the server's end of a connection, as /proc/net/tcp and tcp6
/// print it: the forms, and the line found by both ends' addresses.
@Suite("The owner of a local server's socket")
struct ServerSocketOwnerTests {
    @Test func addressesInTheKernelsForm() throws {
        let v4 = try SocketAddress(ipAddress: "127.0.0.1", port: 7070)
        #expect(ServerSocketOwner.procForm(v4, family: AF_INET) == "0100007F:1B9E")
        #expect(ServerSocketOwner.procForm(v4, family: AF_INET6) == "0000000000000000FFFF00000100007F:1B9E")
        let v6 = try SocketAddress(ipAddress: "::1", port: 443)
        #expect(ServerSocketOwner.procForm(v6, family: AF_INET6) == "00000000000000000000000001000000:01BB")
        #expect(ServerSocketOwner.procForm(v6, family: AF_INET) == nil)
        let mapped = try SocketAddress(ipAddress: "::ffff:127.0.0.2", port: 7070)
        #expect(ServerSocketOwner.procForm(mapped, family: AF_INET) == "0200007F:1B9E")
    }

    @Test func theServersEndIsTheLineFromItToUs() {
        let table = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1B9E 00000000:0000 0A 00000000:00000000 00:00000000 00000000 64123        0 2272557 1 0000000000000000 100 0 0 10 0
               1: 0100007F:BB88 0100007F:1B9E 01 00000000:00000000 00:00000000 00000000     0        0 2271931 1 0000000000000000 20 4 30 10 -1
               2: 0100007F:1B9E 0100007F:BB88 01 00000000:00000000 00:00000000 00000000 64123        0 0 1 0000000000000000 20 4 30 10 -1
            """
        #expect(ServerSocketOwner.uid(in: table, local: "0100007F:1B9E", remote: "0100007F:BB88") == 64123)
        #expect(ServerSocketOwner.uid(in: table, local: "0100007F:BB88", remote: "0100007F:1B9E") == 0)
        #expect(ServerSocketOwner.uid(in: table, local: "0100007F:1B9E", remote: "0100007F:BB89") == nil)
    }

    @Test func aServerOnAnotherMachineIsNotLookedFor() throws {
        // No socket here is 192.0.2.1:7070 (TEST-NET-1): another machine's, nothing to check.
        try ServerSocketOwner.requireTrusted(
            local: try SocketAddress(ipAddress: "192.0.2.9", port: 50000), remote: try SocketAddress(ipAddress: "192.0.2.1", port: 7070))
        // On loopback the server's end is always here while the connection lasts: not there, it is cut off.
        let vanished = #expect(throws: NetworkFailure.self) {
            try ServerSocketOwner.requireTrusted(
                local: try SocketAddress(ipAddress: "127.0.0.1", port: 1), remote: try SocketAddress(ipAddress: "127.0.0.1", port: 2))
        }
        guard case .cutOff = vanished else {
            Issue.record("a vanished server's end is a cut-off connection: \(String(describing: vanished))")
            return
        }
    }
}
