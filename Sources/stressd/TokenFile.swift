import FoundationEssentials
import StressCore

/// The bearer token file shared by `serve --token-file` and `--agent ... --token-file`.
enum TokenFile {
    /// The token, trimmed; an empty or unreadable file is an input error.
    static func read(_ path: String) throws(InputError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .rejected(field: "token-file", reason: "cannot read \(path)")
        }
        let token = text.trimmingWhitespace()
        guard token.count >= 16 else {
            throw .rejected(field: "token-file", reason: "\(path) holds a token shorter than 16 characters; use a long random one (e.g. `openssl rand -hex 32`)")
        }
        return token
    }
}
