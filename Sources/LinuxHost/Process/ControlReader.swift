import Glibc

/// Reads the lines a supervisor sends on standard input (see `ControlPipe`).
public struct ControlReader: Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []

    public init(fd: Int32 = 0) {
        self.fd = fd
    }

    /// The next line without its newline; nil at end-of-file (the supervisor
    /// is gone) or, with a deadline, when the monotonic `deadline` passes.
    /// - Important: blocks the calling thread.
    public mutating func nextLine(deadline: UInt64? = nil) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if let deadline {
                let now = MonotonicClock.now()
                guard now < deadline else { return nil }
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(min((deadline - now) / 1_000_000 + 1, 60_000)))
                if ready == 0 || (ready < 0 && Glibc.errno == EINTR) { continue }
            }
            var chunk = [UInt8](repeating: 0, count: 256)
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && Glibc.errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
