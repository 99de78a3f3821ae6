import FoundationEssentials
import Glibc
import StressCore

/// The bearer token file shared by `serve --token-file` and `--agent ...
/// --token-file`. Whoever holds the token is root on the agent's host, so
/// the file must be as private as a key: a regular file (not a symlink,
/// which a local user could plant to make root read or trust a file of
/// their choosing), owned by root or by whoever runs this command, with no
/// group or other permissions, and small.
enum TokenFile {
    /// A token is 64 hex digits; anything near this size is not a token.
    static let maxBytes = 4096

    /// The token, trimmed; a file that fails any rule above is an input
    /// error saying how to fix it.
    static func read(_ path: String) throws(InputError) -> String {
        // O_NOFOLLOW: a symlink fails with ELOOP instead of being followed;
        // O_NONBLOCK: a FIFO planted there cannot hang the open.
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP {
                throw .rejected(field: "token-file", reason: "\(path) is a symbolic link; point --token-file at the file itself")
            }
            throw .rejected(field: "token-file", reason: "cannot open \(path): \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .rejected(field: "token-file", reason: "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        try check(status, path)
        var bytes = [UInt8](repeating: 0, count: maxBytes + 1)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else {
            throw .rejected(field: "token-file", reason: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        return try token(String(decoding: bytes.prefix(count), as: UTF8.self), path)
    }

    /// The file's type, owner, mode and size, as `fstat` gave them.
    static func check(_ status: stat, _ path: String) throws(InputError) {
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .rejected(field: "token-file", reason: "\(path) is not a regular file")
        }
        let euid = geteuid()
        guard status.st_uid == 0 || status.st_uid == euid else {
            throw .rejected(
                field: "token-file",
                reason: "\(path) belongs to uid \(status.st_uid), who could change the token; it must belong to root or to you (uid \(euid)): `chown \(euid) \(path)`")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw .rejected(
                field: "token-file",
                reason: "\(path) can be read or written by others (mode \(String(status.st_mode & 0o777, radix: 8))); `chmod 600 \(path)`")
        }
        guard status.st_size <= maxBytes else {
            throw .rejected(field: "token-file", reason: "\(path) is \(status.st_size) bytes, too big for a token (at most \(maxBytes)); put only the token in it")
        }
    }

    /// The token in `text`, trimmed, if it is long enough to guess at no better than chance.
    static func token(_ text: String, _ path: String) throws(InputError) -> String {
        let token = text.trimmingWhitespace()
        guard token.count >= 16 else {
            throw .rejected(field: "token-file", reason: "\(path) holds a token shorter than 16 characters; use a long random one (e.g. `openssl rand -hex 32`)")
        }
        return token
    }
}
