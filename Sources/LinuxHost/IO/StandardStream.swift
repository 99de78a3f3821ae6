import Glibc

/// Standard output or standard error, written with write(2).
///
/// Here rather than Foundation's `FileHandle`, which is not in
/// FoundationEssentials and would link all of swift-corelibs-foundation.
public enum StandardStream {
    case output
    case error

    private var descriptor: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }

    /// Writes every byte, resuming after interrupts and short writes. A closed
    /// pipe or a full disk ends the write silently: there is nowhere left to
    /// report it, and an attack must not fail because its output was lost.
    public func write(_ bytes: some Collection<UInt8>) {
        var pending = Array(bytes)[...]
        while !pending.isEmpty {
            let written = pending.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            pending = pending.dropFirst(written)
        }
    }

    public func write(_ text: String) {
        write(text.utf8)
    }
}
