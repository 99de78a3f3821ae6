/// A process as stressd names it: its pid *and* its start time (field 22 of
/// /proc/PID/stat, in clock ticks since boot). A pid alone is reused by the
/// kernel; the pair is not, so stressd only signals a pid whose start time
/// still matches the one it recorded.
public struct ProcessIdentity: Hashable, Sendable, Codable, CustomStringConvertible {
    public let pid: Int32
    public let startTime: UInt64

    public init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    public var description: String { "pid \(pid) (start \(startTime))" }
}
