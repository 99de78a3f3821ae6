import CLinux
import Glibc
import SystemPackage

/// The line-based channel from one worker back to its supervisor: the
/// worker's standard output, on which it writes its running totals. The
/// supervisor reads it without blocking when it looks and keeps only the
/// latest whole line, so a worker that reports faster than it is read
/// never waits on it (see `IOWorker`, which also never blocks writing).
public final class ReportPipe: @unchecked Sendable {
    /// The end the child writes; hand it to `ChildProcess.spawn` and then call `closeChildEnd()`.
    public private(set) var childEnd: Int32
    private var parentEnd: Int32
    private var partial: [UInt8] = []
    /// The last whole line read, without its newline.
    public private(set) var latestLine: String?
    /// A line longer than this is not a report: it is dropped.
    static let lineLimit = 1 << 16

    public init() throws(HostError) {
        var ends: [Int32] = [-1, -1]
        guard stressd_pipe_cloexec(&ends) == 0 else {
            throw .system(call: "pipe2", path: nil, errno: Errno(rawValue: Glibc.errno))
        }
        parentEnd = ends[0]
        childEnd = ends[1]
        _ = fcntl(parentEnd, F_SETFL, fcntl(parentEnd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        closeChildEnd()
        close()
    }

    public func closeChildEnd() {
        if childEnd >= 0 { Glibc.close(childEnd); childEnd = -1 }
    }

    public func close() {
        if parentEnd >= 0 { Glibc.close(parentEnd); parentEnd = -1 }
    }

    /// Reads whatever the child wrote since the last call and returns the
    /// latest whole line so far (nil before the first).
    @discardableResult
    public func readLatest() -> String? {
        guard parentEnd >= 0 else { return latestLine }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(parentEnd, $0.baseAddress, $0.count) }
            if count < 0, Glibc.errno == EINTR { continue }
            guard count > 0 else { break }
            partial += chunk[..<count]
            if let lastNewline = partial.lastIndex(of: UInt8(ascii: "\n")) {
                let lines = partial[..<lastNewline].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
                if let line = lines.last { latestLine = String(decoding: line, as: UTF8.self) }
                partial.removeSubrange(...lastNewline)
            }
            if partial.count > Self.lineLimit { partial.removeAll() }
        }
        return latestLine
    }
}
