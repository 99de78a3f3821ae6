/// Judges a guard's readings over time, failing closed: a guard that cannot
/// read the host cannot protect it, so a few failed readings in a row stop
/// the attack (trip `unreadable`) instead of letting it run unwatched. One
/// failed reading is tolerated, so a transient error (a file briefly busy)
/// does not end an experiment. Pure: the supervisor feeds it readings.
public struct GuardWatch: Sendable {
    /// Failed readings in a row that stop the attack: at 10 readings a
    /// second, the host goes unwatched for at most 0.3 s.
    public static let unreadableLimit = 3

    public let rails: Guard
    public private(set) var unreadableInARow = 0

    public init(rails: Guard) {
        self.rails = rails
    }

    /// The trip this reading causes, if any: a floor crossed, or the
    /// `unreadableLimit`-th failed reading in a row.
    public mutating func judge(_ reading: Guard.Reading) -> Guard.Trip? {
        if let trip = rails.check(reading) { return trip }
        guard !reading.unreadable.isEmpty else {
            unreadableInARow = 0
            return nil
        }
        unreadableInARow += 1
        guard unreadableInARow >= Self.unreadableLimit else { return nil }
        return Guard.Trip(
            name: .unreadable,
            reason: "the guard could not read the host \(unreadableInARow) times in a row (\(reading.unreadable.joined(separator: "; "))); "
                + "an attack its guard cannot watch is stopped")
    }
}
