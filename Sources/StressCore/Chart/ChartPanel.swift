/// One band of a chart over the attack's time: curves in one unit with the
/// levels they are held to, or, for abort conditions, a row of checks each.
struct ChartPanel {
    struct Point {
        var elapsed: Double
        var value: Double
    }

    struct Series {
        var name: String
        var color: String
        var points: [Point]
        /// Requested values are dashed; measured ones solid.
        var dashed = false
    }

    /// A value drawn across the panel: a floor a guard holds, a target.
    struct Level {
        var name: String
        var value: Double
        var color: String
    }

    var title: String
    var unit: ChartAxis.Unit
    var series: [Series] = []
    var levels: [Level] = []
    /// The axis's top whatever the values (100 for percentages).
    var fixedTop: Double?
    /// Abort conditions, a row each: every check a dot, passed or failed.
    var conditions: [ConditionTimeline] = []

    /// The largest value the axis must show (1 when every value is 0, so
    /// a flat curve still gets an axis of whole units).
    var largest: Double {
        if let fixedTop { return fixedTop }
        let values = series.flatMap { $0.points.map(\.value) } + levels.map(\.value)
        let largest = values.max() ?? 0
        return largest > 0 ? largest : 1
    }

    var isEmpty: Bool {
        conditions.isEmpty && series.allSatisfy { $0.points.isEmpty }
    }
}
