import Glibc

/// Whether a host names this machine's loopback interface, where a bearer
/// token in cleartext never leaves the host: an IPv4 literal in
/// 127.0.0.0/8, the IPv6 literal `::1` (or `::ffff:127.x.y.z`), or the
/// name `localhost` itself. Any other name is not loopback, whatever it
/// resolves to now: `127.evil.example` is a name anyone's DNS can point
/// anywhere, and a resolution checked here could differ from the one the
/// connection makes.
public enum LoopbackHost {
    public static func contains(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        let loopback = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
        let mappedV4 = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
        return loopback || mappedV4
    }
}
