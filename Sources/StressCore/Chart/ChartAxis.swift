/// One axis of a chart: a value range mapped linearly onto pixels, with
/// round ticks (1, 2 or 5 times a power of ten of the axis's unit) labelled
/// in that unit.
struct ChartAxis {
    /// What the values are, which decides how ticks read.
    enum Unit {
        case seconds, percent, cores, bytes, bytesPerSecond, value

        /// The divisor and suffix labels use for values up to `largest`:
        /// bytes in the binary unit the largest value reads best in.
        func scale(for largest: Double) -> (divisor: Double, suffix: String) {
            switch self {
            case .seconds: return (1, " s")
            case .percent: return (1, "%")
            case .cores: return (1, "")
            case .value: return (1, "")
            case .bytes, .bytesPerSecond:
                let per = self == .bytesPerSecond ? "/s" : ""
                let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
                var divisor = 1.0
                var index = 0
                while largest >= divisor * 1024, index < units.count - 1 {
                    divisor *= 1024
                    index += 1
                }
                return (divisor, " " + units[index] + per)
            }
        }
    }

    let lower: Double
    let upper: Double
    let unit: Unit
    /// The pixel `lower` and `upper` land on (for a y axis, bottom and top).
    let from: Double
    let to: Double
    let ticks: [Double]

    /// An axis from `lower` to at least `largest`, its top rounded up to a tick.
    init(lower: Double = 0, largest: Double, unit: Unit, from: Double, to: Double, tickCount: Int = 5) {
        let (divisor, _) = unit.scale(for: largest)
        let span = max(largest - lower, 1e-9) / divisor
        let step = Self.roundStep(span / Double(max(1, tickCount))) * divisor
        let upper = lower + (((largest - lower) / step).rounded(.up)).clamped(min: 1) * step
        self.lower = lower
        self.upper = upper
        self.unit = unit
        self.from = from
        self.to = to
        ticks = stride(from: lower, through: upper + step / 2, by: step).map { $0 }
    }

    /// The pixel of `value`, clamped to the axis.
    func position(_ value: Double) -> Double {
        let share = (value - lower) / (upper - lower)
        return from + (to - from) * min(1, max(0, share.isFinite ? share : 0))
    }

    /// A tick's label: `512 MiB`, `25%`, `10 s`.
    func label(_ value: Double) -> String {
        let (divisor, suffix) = unit.scale(for: upper)
        let scaled = value / divisor
        let decimals = scaled == scaled.rounded() ? 0 : (abs(scaled * 10 - (scaled * 10).rounded()) < 1e-9 ? 1 : 2)
        return scaled.fixed(decimals) + suffix
    }

    /// 1, 2 or 5 times a power of ten, the smallest at least `rough`.
    static func roundStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        for multiple in [1.0, 2, 5, 10] where power * multiple >= rough * (1 - 1e-9) {
            return power * multiple
        }
        return power * 10
    }
}

extension Double {
    fileprivate func clamped(min lowest: Double) -> Double { Swift.max(lowest, self) }
}
