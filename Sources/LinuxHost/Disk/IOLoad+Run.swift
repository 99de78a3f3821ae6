import Glibc
import StressCore

extension IOLoad {
    /// How often `run` reports, and the longest it sleeps without looking at
    /// `shouldStop`.
    public static let reportInterval: UInt64 = 100_000_000

    /// Reads and writes one block at a time at random block-aligned offsets
    /// of the working set (or block after block, `sequential`), each a read with probability `readFraction`,
    /// until the CLOCK_MONOTONIC instant `deadline` (ns, as
    /// `MonotonicClock.now()`) or until `shouldStop` (asked before every
    /// operation and at least every 100 ms while paced) returns true.
    /// Unpaced, it never sleeps; paced, see `IOPacer`. Every ~100 ms, and
    /// once at the end (also when it throws), `report` gets the totals so
    /// far. Each run starts from zero with the configuration's seed.
    /// - Returns: the totals at the end.
    /// - Throws: `HostError` of pread or pwrite: ENOSPC if the file system
    ///   ran out of space for a write (copy-on-write and thin-provisioned
    ///   ones can, despite the layout), EIO for a short transfer.
    /// - Important: blocks the calling thread until the deadline.
    public func run(
        until deadline: UInt64, shouldStop: () -> Bool = { false }, report: (Totals) -> Void = { _ in }
    ) throws(HostError) -> Totals {
        var totals = Totals()
        var generator = SeededGenerator(seed: configuration.seed)
        let start = MonotonicClock.now()
        var pacer = configuration.interval.map { IOPacer(interval: $0, start: start) }
        var now = start
        var nextReport = start + Self.reportInterval
        let blocks = configuration.blocks
        func reportNow() {
            totals.elapsedNanoseconds = now - start
            report(totals)
            nextReport = now + Self.reportInterval
        }
        /// Sleeps until `due` in slices of at most `reportInterval`,
        /// reporting and asking `shouldStop` between them; false on stop.
        func sleep(until due: UInt64) -> Bool {
            while now < due {
                MonotonicClock.sleep(until: min(due, now + Self.reportInterval))
                now = MonotonicClock.now()
                if shouldStop() { return false }
                if now >= nextReport { reportNow() }
            }
            return true
        }
        do {
            while now < deadline, !shouldStop() {
                if let due = pacer?.nextDue(now: now) {
                    guard due < deadline else { break }
                    guard sleep(until: due) else { break }
                    pacer?.issue()
                }
                let isRead = decideRead(&generator)
                let block = configuration.sequential
                    ? (totals.readOperations + totals.writeOperations) % blocks
                    : UInt64.random(in: 0..<blocks, using: &generator)
                let offset = off_t(block * UInt64(configuration.blockBytes))
                if !isRead {
                    // Every write's data differs, so no device dedupes it away.
                    buffer.storeBytes(of: totals.writeOperations ^ UInt64(offset), as: UInt64.self)
                }
                let before = MonotonicClock.now()
                try Self.transfer(descriptor, isRead: isRead, buffer.baseAddress, buffer.count, at: offset, path: path)
                now = MonotonicClock.now()
                totals.count(isRead: isRead, bytes: UInt64(buffer.count), nanoseconds: now - before)
                if now >= nextReport { reportNow() }
            }
        } catch {
            reportNow()
            throw error
        }
        reportNow()
        return totals
    }

    /// Whether the next operation reads: a coin weighted by `readFraction`,
    /// not tossed at all for reads only or writes only.
    @inline(__always)
    private func decideRead(_ generator: inout SeededGenerator) -> Bool {
        switch configuration.readFraction {
        case 0: false
        case 1: true
        default: Double(generator.next() >> 11) * 0x1p-53 < configuration.readFraction
        }
    }
}
