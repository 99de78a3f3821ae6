import Glibc

extension APIServer {
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
