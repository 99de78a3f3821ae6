/// Latencies of I/O operations in nanoseconds, in a fixed set of
/// log-linear buckets (HdrHistogram's layout with 16 sub-buckets): exact
/// below 16 ns, then each power of two split into 16 equal parts, so a
/// bucket is at most 1/16 (6.25 %) of its lower bound wide, up to 2^37 ns
/// (137 s). Longer values count in the last bucket; `max` stays exact.
///
/// Why this shape: a worker records millions of operations, so recording
/// is an index computation and an add, never an allocation; histograms of
/// several workers (or of several reporting intervals) merge by adding
/// counts; and the few buckets a real run touches travel between processes
/// as one short line (`text`, `init(text:)`).
public struct LatencyHistogram: Hashable, Sendable {
    /// Linear sub-buckets per power of two: the relative resolution.
    static let subBuckets: UInt64 = 16
    static let subBucketBits: UInt64 = 4
    /// The largest power of two with buckets of its own: 2^37 ns ≈ 137 s.
    static let topExponent: UInt64 = 37
    /// Buckets 0..<16 hold 0...15 ns; then 16 for each power of two 2^4 … 2^37.
    public static let bucketCount = Int((topExponent - subBucketBits + 2) * subBuckets)

    /// Counts per bucket; always `bucketCount` long.
    private var counts: [UInt64]
    /// Operations recorded; saturates at `UInt64.max` rather than trap.
    public private(set) var count: UInt64 = 0
    /// The shortest and longest latency recorded, exactly; nil when empty.
    public private(set) var min: UInt64?
    public private(set) var max: UInt64?

    public init() {
        counts = Array(repeating: 0, count: Self.bucketCount)
    }

    public var isEmpty: Bool { count == 0 }

    /// Counts one operation that took `nanoseconds`.
    public mutating func record(nanoseconds: UInt64) {
        let index = Self.bucket(of: nanoseconds)
        counts[index] = Self.saturatingSum(counts[index], 1)
        count = Self.saturatingSum(count, 1)
        min = Swift.min(min ?? nanoseconds, nanoseconds)
        max = Swift.max(max ?? nanoseconds, nanoseconds)
    }

    /// Adds `other`'s operations: the same as having recorded both here.
    public mutating func merge(_ other: LatencyHistogram) {
        guard let otherMin = other.min, let otherMax = other.max else { return }
        for index in counts.indices where other.counts[index] != 0 {
            counts[index] = Self.saturatingSum(counts[index], other.counts[index])
        }
        count = Self.saturatingSum(count, other.count)
        min = Swift.min(min ?? otherMin, otherMin)
        max = Swift.max(max ?? otherMax, otherMax)
    }

    /// The latency that `p` percent of operations did not exceed, within a
    /// bucket's resolution (the middle of its bucket, kept within min…max);
    /// 0 and 100 give `min` and `max` exactly. Nil when nothing was
    /// recorded; `p` outside 0…100 (or NaN) is clamped into it.
    public func percentile(_ p: Double) -> UInt64? {
        guard let min, let max else { return nil }
        let share = p.isNaN ? 0 : Swift.min(Swift.max(p, 0), 100) / 100
        if share == 0 { return min }
        if share == 1 { return max }
        // The rank of the operation asked for, 1-based; Double keeps huge
        // counts from overflowing and is exact enough for a rank.
        let rank = Swift.max(1, (share * Double(count)).rounded(.up))
        var seen: Double = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount != 0 {
            seen += Double(bucketCount)
            if seen >= rank {
                let range = Self.range(ofBucket: index)
                let middle = range.lowerBound + (range.upperBound - range.lowerBound) / 2
                return Swift.min(Swift.max(middle, min), max)
            }
        }
        return max
    }

    /// The bucket `nanoseconds` falls in.
    static func bucket(of nanoseconds: UInt64) -> Int {
        guard nanoseconds >= subBuckets else { return Int(nanoseconds) }
        let exponent = UInt64(63 - nanoseconds.leadingZeroBitCount)
        guard exponent <= topExponent else { return bucketCount - 1 }
        let shift = exponent - subBucketBits
        // The top 5 bits of the value: 16 + the sub-bucket within 2^exponent.
        return Int(shift * subBuckets + (nanoseconds >> shift))
    }

    /// The values bucket `index` holds: lowerBound...upperBound.
    static func range(ofBucket index: Int) -> ClosedRange<UInt64> {
        let index = UInt64(index)
        guard index >= subBuckets else { return index...index }
        let shift = index / subBuckets - 1
        let lower = (subBuckets + index % subBuckets) << shift
        return lower...(lower + (1 << shift) - 1)
    }

    static func saturatingSum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? UInt64.max : sum
    }
}

extension LatencyHistogram {
    /// The buckets that hold operations, in index order, for the text form.
    var nonzeroBuckets: [(index: Int, count: UInt64)] {
        counts.enumerated().compactMap { $0.element == 0 ? nil : ($0.offset, $0.element) }
    }

    /// Builds a histogram from its parts, as the text form carries them.
    init(buckets: [(index: Int, count: UInt64)], min: UInt64, max: UInt64) {
        self.init()
        for bucket in buckets {
            counts[bucket.index] = bucket.count
            count = Self.saturatingSum(count, bucket.count)
        }
        self.min = min
        self.max = max
    }
}
