extension LatencyHistogram {
    /// One line without spaces around its parts, for a worker to send its
    /// histogram up a pipe: `MIN/MAX INDEX:COUNT,INDEX:COUNT,…` with only
    /// the buckets that hold operations, in index order, e.g.
    /// `812/91234 154:3,155:10,282:1`; `-` when empty. A run of 4 KiB
    /// random I/O touches a few dozen buckets: a line of a few hundred bytes.
    public var text: String {
        guard let min, let max else { return "-" }
        let buckets = nonzeroBuckets.map { "\($0.index):\($0.count)" }.joined(separator: ",")
        return "\(min)/\(max) \(buckets)"
    }

    /// Reads `text` back: the inverse of `text`. Anything else (empty,
    /// signs, numbers past UInt64, an index outside the buckets, buckets out
    /// of order or repeated, a zero count, min and max that do not fall in
    /// the first and last bucket) is rejected: the line comes from another
    /// process, and a histogram it made up must not pass for a measurement.
    public init(text: String) throws(InputError) {
        func malformed(_ reason: String) -> InputError {
            let excerpt = text.count > 80 ? String(text.prefix(80)) + "…" : text
            return .malformed(field: "latency histogram", value: excerpt, expected: "'MIN/MAX INDEX:COUNT,…' or '-' (\(reason))")
        }
        if text == "-" {
            self.init()
            return
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw malformed("two parts separated by one space") }
        let extremes = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        guard extremes.count == 2, let min = UInt64(decimalDigits: extremes[0]), let max = UInt64(decimalDigits: extremes[1]), min <= max
        else { throw malformed("MIN/MAX, decimal, MIN ≤ MAX") }
        var buckets: [(index: Int, count: UInt64)] = []
        for pair in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
            let fields = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2, let index = Int(decimalDigits: fields[0]), let count = UInt64(decimalDigits: fields[1]) else {
                throw malformed("INDEX:COUNT in decimal")
            }
            guard index < Self.bucketCount else { throw malformed("index below \(Self.bucketCount)") }
            guard count > 0 else { throw malformed("only buckets that hold operations") }
            guard index > buckets.last?.index ?? -1 else { throw malformed("indexes in increasing order") }
            buckets.append((index, count))
        }
        guard let first = buckets.first, let last = buckets.last,
              Self.bucket(of: min) == first.index, Self.bucket(of: max) == last.index
        else { throw malformed("MIN in the first bucket, MAX in the last") }
        self.init(buckets: buckets, min: min, max: max)
    }
}
