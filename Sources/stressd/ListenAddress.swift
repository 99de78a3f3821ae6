import FoundationEssentials
import StressCore

/// `--listen host:port`: where `stressd serve` accepts connections.
enum ListenAddress {
    static func parse(_ text: String) throws(InputError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw .malformed(field: "listen", value: text, expected: "host:port such as 127.0.0.1:7070")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .malformed(field: "listen", value: text, expected: "host:port such as 127.0.0.1:7070") }
        return (host, port)
    }

}
