import StressCore
import Testing

@Suite struct ReportRetentionTests {
    typealias Saved = ReportRetention.Saved

    @Test func keepsTheNewestWithinTheCountAndTheAge() {
        let retention = ReportRetention(keep: 2, maxAge: .seconds(100))
        let saved = [Saved(name: "a", savedAt: 950), Saved(name: "b", savedAt: 990), Saved(name: "c", savedAt: 980)]
        #expect(retention.expired(saved, now: 1000) == ["a"], "beyond the two newest")
        #expect(retention.expired(saved, now: 1085).sorted() == ["a", "c"], "c is 105 s old by then")
        #expect(retention.expired([], now: 1000).isEmpty)
    }

    @Test func tiesInTimeAreBrokenByNameTheSameWayEveryTime() {
        let retention = ReportRetention(keep: 1, maxAge: .seconds(1000))
        let saved = [Saved(name: "x", savedAt: 500), Saved(name: "y", savedAt: 500)]
        #expect(retention.expired(saved, now: 600) == ["x"])
        #expect(retention.expired(saved.reversed(), now: 600) == ["x"])
    }

    @Test func theDefaultKeepsFiveHundredForThirtyDays() {
        #expect(ReportRetention.default == ReportRetention(keep: 500, maxAge: .seconds(2_592_000)))
    }
}
