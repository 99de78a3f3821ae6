import CLinux
import Glibc
import SystemPackage

/// The line-based channel from a supervisor to one worker: the worker's
/// standard input. The worker waits for `go` before it works, takes `load X`
/// to change its target, and exits at once on end-of-file, which the kernel
/// delivers however the supervisor dies: a second tie to the supervisor's
/// life besides PDEATHSIG. A cleanup watchdog reads one too (`done`).
///
/// Making one ignores SIGPIPE for the whole process: a line sent to a child
/// that is gone must be an error return (EPIPE), never the death of the
/// supervisor, whatever program embeds it.
public final class ControlPipe: @unchecked Sendable {
    /// The end the child reads; hand it to `ChildProcess.spawn` and then call `closeChildEnd()`.
    public private(set) var childEnd: Int32
    private var parentEnd: Int32

    public init() throws(HostError) {
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [-1, -1]
        guard stressd_pipe_cloexec(&ends) == 0 else {
            throw .system(call: "pipe2", path: nil, errno: Errno(rawValue: Glibc.errno))
        }
        childEnd = ends[0]
        parentEnd = ends[1]
    }

    deinit {
        closeChildEnd()
        close()
    }

    public func closeChildEnd() {
        if childEnd >= 0 { Glibc.close(childEnd); childEnd = -1 }
    }

    /// Sends one line. Returns false if the child is gone (EPIPE).
    @discardableResult
    public func send(_ line: String) -> Bool {
        guard parentEnd >= 0 else { return false }
        let bytes = Array((line + "\n").utf8)
        return bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(parentEnd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if Glibc.errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Closes the supervisor's end: the worker reads end-of-file and exits.
    public func close() {
        if parentEnd >= 0 { Glibc.close(parentEnd); parentEnd = -1 }
    }
}
