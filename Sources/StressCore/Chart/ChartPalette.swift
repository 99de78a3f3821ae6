/// The chart's colours, in one place: distinct for each curve a panel may
/// hold (after the Tableau 10 palette, readable for most colour-blind
/// eyes), and pinned by the tests that look at rendered pixels.
enum ChartPalette {
    /// The attack's window, behind every panel.
    static let window = "#fde2c8"
    static let achieved = "#d62728"
    static let requested = "#7f7f7f"
    static let cpuBusy = "#1f77b4"
    static let cpuPressure = "#9467bd"
    static let memoryPressure = "#8c564b"
    static let ioPressure = "#e377c2"
    static let memoryAvailable = "#2ca02c"
    static let diskFree = "#17becf"
    static let floor = "#000000"
    static let passed = "#2ca02c"
    static let failed = "#d62728"
    static let grid = "#e5e5e5"
    static let text = "#222222"
}
