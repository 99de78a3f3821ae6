import StressCore
import Testing

@Suite("Latency histogram: log-linear buckets for I/O latencies")
struct LatencyHistogramTests {
    /// Half a bucket of 1/16 of its lower bound, rounded up for small values.
    func isClose(_ measured: UInt64?, to exact: UInt64) -> Bool {
        guard let measured else { return false }
        let error = measured > exact ? measured - exact : exact - measured
        return Double(error) <= Double(exact) / 32 + 1
    }

    func histogram(_ values: some Sequence<UInt64>) -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for value in values { histogram.record(nanoseconds: value) }
        return histogram
    }

    @Test func emptyHasNoPercentilesNorExtremes() {
        let empty = LatencyHistogram()
        #expect(empty.count == 0 && empty.isEmpty)
        #expect(empty.percentile(50) == nil)
        #expect(empty.min == nil && empty.max == nil)
    }

    @Test("a uniform distribution's percentiles, within half a bucket", arguments: [1.0, 10, 50, 90, 99, 99.9])
    func uniformPercentiles(p: Double) {
        // 1 µs … 10 ms in 1 µs steps.
        let values = (1...10_000).map { UInt64($0) * 1_000 }
        let exact = values[Int((p / 100 * Double(values.count)).rounded(.up)) - 1]
        #expect(isClose(histogram(values).percentile(p), to: exact))
    }

    @Test func logUniformPercentilesFromMicrosecondsToSeconds() {
        // 1 µs … 100 s, ten values per factor of ten: every range of buckets.
        let values = (0...80).map { UInt64(1_000 * pow10($0)) }
        let recorded = histogram(values)
        for (p, rank) in [(25.0, 21), (50, 41), (75, 61), (95, 77)] {
            #expect(isClose(recorded.percentile(p), to: values[rank - 1]), "p\(p)")
        }
    }

    func pow10(_ tenths: Int) -> Double {
        var result = 1.0
        for _ in 0..<tenths { result *= 1.258_925_411_794_167 }  // 10^0.1
        return result
    }

    @Test func extremesAreExact() {
        let recorded = histogram([3_333, 17, 123_456_789])
        #expect(recorded.min == 17 && recorded.max == 123_456_789)
        #expect(recorded.percentile(0) == 17)
        #expect(recorded.percentile(100) == 123_456_789)
        #expect(recorded.percentile(-5) == 17 && recorded.percentile(500) == 123_456_789)
        #expect(recorded.percentile(.nan) == 17)
    }

    @Test func smallValuesAreExactAndHugeOnesLandInTheLastBucket() {
        let small = histogram([0, 5, 15])
        #expect(small.percentile(50) == 5)
        let huge = histogram([UInt64.max, 1 << 40])
        #expect(huge.count == 2 && huge.max == UInt64.max)
        #expect(huge.percentile(50).map { $0 >= 1 << 37 } == true)
    }

    @Test func mergeEqualsRecordingBoth() {
        var generator = SeededGenerator(seed: 7)
        let first = (0..<5_000).map { _ in UInt64.random(in: 500...5_000_000, using: &generator) }
        let second = (0..<3_000).map { _ in UInt64.random(in: 100...90_000_000_000, using: &generator) }
        var merged = histogram(first)
        merged.merge(histogram(second))
        #expect(merged == histogram(first + second))
        var empty = LatencyHistogram()
        empty.merge(merged)
        #expect(empty == merged)
        merged.merge(LatencyHistogram())
        #expect(merged == histogram(first + second))
    }

    @Test func textRoundTrips() throws {
        var generator = SeededGenerator(seed: 11)
        let recorded = histogram((0..<10_000).map { _ in UInt64.random(in: 0...200_000_000_000, using: &generator) })
        #expect(try LatencyHistogram(text: recorded.text) == recorded)
        #expect(try LatencyHistogram(text: LatencyHistogram().text) == LatencyHistogram())
        let one = histogram([4_096])
        #expect(one.text == "4096/4096 144:1")
        #expect(try LatencyHistogram(text: one.text) == one)
    }

    @Test("malformed text is rejected, never trapped on", arguments: [
        "", " ", "-1/5 5:1", "5/5 5:-1", "5/5 +5:1", "5/5 5:+1",
        "1/2", "1/2 ", "1/2 1:1,", "1/2 1:1,,2:1", "1/2 1:1 2:1", "1/2 1:1  ",
        "5/5 5:0", "2/1 1:1,2:1", "1/2 2:1,1:1", "1/2 1:1,1:1,2:1",
        "5/5 560:1", "5/5 99999999999999999999:1", "5/5 5:99999999999999999999",
        "18446744073709551616/18446744073709551616 559:1",
        "1/100 1:1,2:1", "1/2 3:1", "x/y 1:1", "1/2/3 1:1,2:1", "1:1", "--", "1/1 1:1:1",
    ])
    func rejectsMalformedText(text: String) {
        #expect(throws: InputError.self) { try LatencyHistogram(text: text) }
    }

    @Test func bigCountsSaturateInsteadOfTrapping() throws {
        let nearlyFull = try LatencyHistogram(text: "5/20 5:18446744073709551615,20:3")
        #expect(nearlyFull.count == UInt64.max)
        var merged = nearlyFull
        merged.merge(nearlyFull)
        merged.record(nanoseconds: 5)
        #expect(merged.count == UInt64.max)
        #expect(merged.text == "5/20 5:18446744073709551615,20:6")
        #expect(merged.percentile(50) == 5 && merged.percentile(99.99) == 5)
    }
}
