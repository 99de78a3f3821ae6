import StressCore

extension IOLoad {
    /// What a run has done since it started: cumulative, so a caller that
    /// misses a report loses nothing, and one from each worker adds up.
    public struct Totals: Hashable, Sendable {
        public var readOperations: UInt64 = 0
        public var writeOperations: UInt64 = 0
        public var readBytes: UInt64 = 0
        public var writtenBytes: UInt64 = 0
        /// The time of every read and write, from just before the call to
        /// just after it returned.
        public var latency = LatencyHistogram()
        /// From the start of the run (after the layout) to the last operation.
        public var elapsedNanoseconds: UInt64 = 0

        public init() {}

        /// Counts one operation of `bytes` that took `nanoseconds`.
        mutating func count(isRead: Bool, bytes: UInt64, nanoseconds: UInt64) {
            latency.record(nanoseconds: nanoseconds)
            if isRead {
                readOperations += 1
                readBytes += bytes
            } else {
                writeOperations += 1
                writtenBytes += bytes
            }
        }
    }
}
