import StressCore
import Testing

/// A report's samples stay bounded however long the attack, and what is
/// kept stays evenly spread over the whole run.
@Suite struct BoundedSeriesTests {
    @Test func underItsCapacityEverySampleIsKept() {
        var series = BoundedSeries<Int>(capacity: 8)
        (0..<8).forEach { series.append($0) }
        #expect(series.elements == Array(0..<8))
    }

    @Test func aFullSeriesKeepsEveryOtherAndThenEverySecondOffered() {
        var series = BoundedSeries<Int>(capacity: 8)
        (0..<9).forEach { series.append($0) }
        #expect(series.elements == [0, 2, 4, 6, 8])
        (9..<17).forEach { series.append($0) }
        #expect(series.elements == [0, 4, 8, 12, 16])
    }

    @Test(arguments: [10, 100, 1_000, 14_400]) func anyLengthStaysWithinCapacityEvenlySpaced(length: Int) {
        var series = BoundedSeries<Int>(capacity: 600)
        (0..<length).forEach { series.append($0) }
        #expect(series.elements.count <= 600)
        #expect(series.elements.first == 0)
        let gaps = Set(zip(series.elements, series.elements.dropFirst()).map { $1 - $0 })
        #expect(gaps.count == 1, "uneven spacing: \(gaps)")
        // The last kept is within one spacing of the end: the whole run is covered.
        #expect(length - 1 - series.elements.last! < gaps.first ?? 1)
    }

    @Test func anOddCapacityIsRoundedUpToKeepTheSpacingEven() {
        #expect(BoundedSeries<Int>(capacity: 7).capacity == 8)
        #expect(BoundedSeries<Int>(capacity: 0).capacity == 2)
    }
}
