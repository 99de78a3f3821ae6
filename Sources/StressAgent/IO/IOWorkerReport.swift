import LinuxHost
import StressCore

/// What an I/O worker has done so far, as the one line it writes to its
/// stdout (a pipe to the supervisor) about every 100 ms:
/// `io layout=NS elapsed=NS r=OPS w=OPS rb=BYTES wb=BYTES direct=1 lat=HISTOGRAM`:
/// its run's `IOLoad.Totals`, with how long the layout took and whether
/// the I/O is direct. Totals, not deltas: a line the supervisor misses (it
/// reads the last one when it looks) loses nothing.
struct IOWorkerReport: Equatable, Sendable {
    var layoutNanoseconds: UInt64 = 0
    var direct = false
    var totals = IOLoad.Totals()

    var operations: UInt64 { totals.readOperations + totals.writeOperations }
    var bytes: UInt64 { totals.readBytes + totals.writtenBytes }

    var line: String {
        "io layout=\(layoutNanoseconds) elapsed=\(totals.elapsedNanoseconds) r=\(totals.readOperations) "
            + "w=\(totals.writeOperations) rb=\(totals.readBytes) wb=\(totals.writtenBytes) direct=\(direct ? 1 : 0) "
            + "lat=\(totals.latency.text)\n"
    }

    init(layoutNanoseconds: UInt64 = 0, direct: Bool = false, totals: IOLoad.Totals = IOLoad.Totals()) {
        self.layoutNanoseconds = layoutNanoseconds
        self.direct = direct
        self.totals = totals
    }

    /// Reads `line` back; nil for anything else (a worker's line cut short).
    /// The histogram's text has a space of its own, so it comes last.
    init?(line: Substring) {
        let parts = line.split(separator: " lat=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let fields = parts[0].split(separator: " ")
        guard fields.first == "io", fields.count == 8 else { return nil }
        var values: [Substring: Substring] = [:]
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { return nil }
            values[field[..<equals]] = field[field.index(after: equals)...]
        }
        func number(_ name: Substring) -> UInt64? { values[name].flatMap { UInt64(decimalDigits: $0) } }
        var totals = IOLoad.Totals()
        guard let layout = number("layout"), let elapsed = number("elapsed"), let reads = number("r"), let writes = number("w"),
              let readBytes = number("rb"), let writtenBytes = number("wb"), let direct = number("direct"),
              let latency = try? LatencyHistogram(text: String(parts[1]))
        else { return nil }
        totals.elapsedNanoseconds = elapsed
        totals.readOperations = reads
        totals.writeOperations = writes
        totals.readBytes = readBytes
        totals.writtenBytes = writtenBytes
        totals.latency = latency
        self.init(layoutNanoseconds: layout, direct: direct == 1, totals: totals)
    }
}
