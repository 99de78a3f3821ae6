import Foundation
import StressCore

/// `--listen host:port` and the bearer token file.
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

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

enum TokenFile {
    /// The token, trimmed; an empty or unreadable file is an input error.
    static func read(_ path: String) throws(InputError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .rejected(field: "token-file", reason: "cannot read \(path)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else {
            throw .rejected(field: "token-file", reason: "\(path) holds a token shorter than 16 characters; use a long random one (e.g. `openssl rand -hex 32`)")
        }
        return token
    }
}
