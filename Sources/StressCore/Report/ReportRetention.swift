/// How many finished attacks' reports the state directory keeps, and for
/// how long (`[reports]` in stressd.toml: `keep`, `max-age`). Each save
/// deletes what falls outside, oldest first, so an agent that runs an
/// attack a minute for a year does not fill its disk with reports.
public struct ReportRetention: Equatable, Sendable {
    /// 500 reports (~100 MB at most: a report is 2-200 KB, its timeline
    /// bounded to 600 samples), kept at most 30 days.
    public static let `default` = ReportRetention(keep: 500, maxAge: .seconds(30 * 24 * 3600))

    public var keep: Int
    public var maxAge: Duration

    public init(keep: Int, maxAge: Duration) {
        self.keep = keep
        self.maxAge = maxAge
    }

    /// A saved report: its file's name and when it was written (seconds
    /// since the epoch).
    public struct Saved: Equatable, Sendable {
        public var name: String
        public var savedAt: Int

        public init(name: String, savedAt: Int) {
            self.name = name
            self.savedAt = savedAt
        }
    }

    /// The names to delete at `now`: all but the `keep` newest, and any
    /// older than `maxAge`. Ties in time keep the name order, so the
    /// choice is the same on every call.
    public func expired(_ saved: [Saved], now: Int) -> [String] {
        let oldestKept = now - Int(maxAge.components.seconds)
        let newestFirst = saved.sorted { ($0.savedAt, $0.name) > ($1.savedAt, $1.name) }
        return newestFirst.enumerated().filter { $0.offset >= keep || $0.element.savedAt < oldestKept }.map(\.element.name)
    }
}
