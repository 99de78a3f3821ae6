import Glibc
import SystemPackage

/// A TCP socket bound to a free loopback port and not listening: a port
/// that refuses connections until the test calls `listen`, for checks
/// (abort conditions) that must see a port closed, then open.
public final class LoopbackSocket {
    public let descriptor: Int32
    public let port: Int

    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in(
            sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")),
            sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(descriptor, raw, length) == 0 && getsockname(descriptor, raw, &length) == 0
            }
        }
        guard descriptor >= 0, bound else {
            let error = Errno(rawValue: errno)
            if descriptor >= 0 { close(descriptor) }
            throw error
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts accepting connections (the kernel completes them; none is accepted by the test).
    public func listen() -> Bool {
        Glibc.listen(descriptor, 16) == 0
    }

    deinit { close(descriptor) }
}
