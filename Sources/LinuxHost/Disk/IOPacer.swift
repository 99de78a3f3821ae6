/// When each operation of a paced I/O load is due: operation n at
/// `start + n × interval`, computed from n rather than by adding up
/// intervals, so rounding never accumulates into drift and a late
/// operation is made up by the next ones going at once.
///
/// Making up has a bound: after a stall (the device, the scheduler or a
/// stopped process held the worker) longer than `maxLag`, the schedule
/// moves so that the next operation is due `maxLag` ago. At most
/// `maxLag / interval + 1` operations then run back to back, and the time
/// lost beyond `maxLag` is not paid back: a paced load is a rate, not a
/// quota to catch up on. Pure: time comes in as `now`, so tests step it.
struct IOPacer {
    /// Nanoseconds between operations.
    let interval: Double
    /// How far behind schedule the pacer may run before it forgets the rest.
    let maxLag: UInt64
    /// The instant operation `issued` counts from.
    private var base: UInt64
    /// Operations issued since `base`.
    private var issued: UInt64 = 0

    /// The lag bound by default: 10 ms, or one interval when that is longer.
    init(interval: Double, start: UInt64, maxLag: UInt64? = nil) {
        self.interval = interval
        self.maxLag = maxLag ?? UInt64(max(interval, 10_000_000))
        base = start
    }

    /// The monotonic instant the next operation is due; sleep until then if
    /// it is later than `now`. Moves the schedule first if `now` is more
    /// than `maxLag` behind it.
    mutating func nextDue(now: UInt64) -> UInt64 {
        // Past 2^62 ns (146 years) an operation is never due: no trap on
        // converting a Double too large for UInt64.
        let offset = Double(issued) * interval
        let due = offset < 0x1p62 ? base + UInt64(offset) : UInt64.max
        guard now > due, now - due > maxLag else { return due }
        base = now - maxLag
        issued = 0
        return base
    }

    /// Counts the operation that was due as started.
    mutating func issue() {
        issued += 1
    }
}
