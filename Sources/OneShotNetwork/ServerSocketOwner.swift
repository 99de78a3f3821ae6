import Glibc
import NIOCore

/// Who made the server's end of a TCP connection to this host. The port an
/// agent listens on is anyone's to take while the agent is not running
/// (stopped, restarting, installed but not enabled), and a client that sent
/// its bearer token to whatever answers on 127.0.0.1:7070 would give root's
/// token to the local user waiting there. The kernel lists every TCP socket
/// of this network namespace in /proc/net/tcp and tcp6 with the uid that
/// made it, and a connection's server end takes its listener's uid, even
/// before it is accepted: it is the line whose local address is our peer
/// and whose remote address is us.
public enum ServerSocketOwner {
    /// Returns when the server's end of the connection from `local` to
    /// `remote` is a socket root or this process's user made, or is on
    /// another machine; fails when another user made it. A server on this
    /// host (loopback or one of its own addresses) has its end in the table
    /// while the connection lasts: not found in three reads (a table read
    /// while sockets come and go can skip a line), the server has closed or
    /// reset it, and the connection is cut off: nothing can reach anyone.
    public static func requireTrusted(local: SocketAddress, remote: SocketAddress) throws(NetworkFailure) {
        var owner = try uid(local: local, remote: remote)
        let onThisHost = isOnThisHost(remote)
        for _ in 1..<3 where owner == nil && onThisHost {
            owner = try uid(local: local, remote: remote)
        }
        switch owner {
        case 0, geteuid():
            return
        case nil where !onThisHost:
            return
        case nil:
            throw .cutOff("the connection to \(remote) closed before anything was sent")
        case let owner?:
            throw .untrustedServer("\(remote) is held by a socket uid \(owner) made, not root or uid \(geteuid()): the agent is not running there (another user took its port); nothing was sent, the token included")
        }
    }

    /// The uid behind the server's end of the connection from `local` to
    /// `remote`; nil when no socket of this network namespace is that end.
    static func uid(local: SocketAddress, remote: SocketAddress) throws(NetworkFailure) -> uid_t? {
        for (table, family) in [("/proc/net/tcp", AF_INET), ("/proc/net/tcp6", AF_INET6)] {
            guard let server = procForm(remote, family: family), let client = procForm(local, family: family) else { continue }
            guard let text = read(table) else {
                if errno == ENOENT { continue }  // no IPv6 in this kernel: no tcp6 table, nothing in it
                throw .unreachable("cannot read \(table) to tell who holds \(remote): \(String(cString: strerror(errno)))")
            }
            if let owner = uid(in: text, local: server, remote: client) { return owner }
        }
        return nil
    }

    /// Whether `address` is this host's own (loopback or an address of one
    /// of its interfaces): a socket may be bound to it without IP_FREEBIND.
    static func isOnThisHost(_ address: SocketAddress) -> Bool {
        guard let ip = address.ipAddress else { return false }
        if LoopbackHost.contains(ip) { return true }
        guard let probe = try? SocketAddress(ipAddress: ip, port: 0) else { return true }  // cannot tell: look, as for a local one
        let descriptor = socket(CInt(probe.protocol.rawValue), CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return true }  // cannot tell: look for it, as for a local one
        defer { close(descriptor) }
        return probe.withSockAddr { bind(descriptor, $0, socklen_t($1)) } == 0
    }

    /// The uid column of the line of `table` (the text of /proc/net/tcp or
    /// tcp6) whose local and remote addresses are these, in the table's form.
    static func uid(in table: String, local: String, remote: String) -> uid_t? {
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 7, fields[1] == local, fields[2] == remote else { continue }
            return uid_t(fields[7])
        }
        return nil
    }

    /// An address as the kernel prints it in the table of `family`: each
    /// 32-bit word of the address in hexadecimal as it lies in memory, a
    /// colon, the port in hexadecimal. An IPv4 address appears in tcp6 as
    /// mapped (`::ffff:127.0.0.1`) when a dual-stack socket holds it; an
    /// IPv6 one has no IPv4 form unless it is mapped.
    static func procForm(_ address: SocketAddress, family: CInt) -> String? {
        guard let port = address.port else { return nil }
        // The third word of an IPv4-mapped address (::ffff:a.b.c.d), as it lies in memory.
        let mappedPrefix = UInt32(bigEndian: 0x0000_ffff)
        var words: [UInt32]
        switch address {
        case .v4(let v4):
            let word = v4.address.sin_addr.s_addr
            words = family == AF_INET ? [word] : [0, 0, mappedPrefix, word]
        case .v6(let v6):
            words = withUnsafeBytes(of: v6.address.sin6_addr) { bytes in
                (0..<4).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) }
            }
            let mapped = words[0] == 0 && words[1] == 0 && words[2] == mappedPrefix
            if family == AF_INET {
                guard mapped else { return nil }
                words = [words[3]]
            }
        case .unixDomainSocket:
            return nil
        }
        return words.map { hex($0, digits: 8) }.joined() + ":" + hex(UInt32(port), digits: 4)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes += chunk[..<count]
        }
    }
}
