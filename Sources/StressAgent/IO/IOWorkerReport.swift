import StressCore

/// What an I/O worker has done so far, as the one line it writes to its
/// stdout (a pipe to the supervisor) about every 100 ms:
/// `io layout=NS elapsed=NS r=OPS w=OPS rb=BYTES wb=BYTES direct=1 lat=HISTOGRAM`.
/// Totals, not deltas: a line the supervisor misses (it reads the last one
/// when it looks) loses nothing.
struct IOWorkerReport: Equatable, Sendable {
    var layoutNanoseconds: UInt64 = 0
    var elapsedNanoseconds: UInt64 = 0
    var readOperations: UInt64 = 0
    var writeOperations: UInt64 = 0
    var readBytes: UInt64 = 0
    var writtenBytes: UInt64 = 0
    var direct = false
    var latency = LatencyHistogram()

    var operations: UInt64 { readOperations + writeOperations }
    var bytes: UInt64 { readBytes + writtenBytes }

    var line: String {
        "io layout=\(layoutNanoseconds) elapsed=\(elapsedNanoseconds) r=\(readOperations) w=\(writeOperations) "
            + "rb=\(readBytes) wb=\(writtenBytes) direct=\(direct ? 1 : 0) lat=\(latency.text)\n"
    }

    /// Reads `line` back; nil for anything else (a worker's line cut short).
    /// The histogram's text has a space of its own, so it comes last.
    init?(line: Substring) {
        let parts = line.split(separator: " lat=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let fields = parts[0].split(separator: " ")
        guard fields.first == "io", fields.count == 8 else { return nil }
        var values: [Substring: Substring] = ["lat": parts[1]]
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { return nil }
            values[field[..<equals]] = field[field.index(after: equals)...]
        }
        func number(_ name: Substring) -> UInt64? { values[name].flatMap { UInt64($0) } }
        guard let layout = number("layout"), let elapsed = number("elapsed"), let reads = number("r"), let writes = number("w"),
              let readBytes = number("rb"), let writtenBytes = number("wb"), let direct = number("direct"),
              let latency = values["lat"].flatMap({ try? LatencyHistogram(text: String($0)) })
        else { return nil }
        self.init(
            layoutNanoseconds: layout, elapsedNanoseconds: elapsed, readOperations: reads, writeOperations: writes,
            readBytes: readBytes, writtenBytes: writtenBytes, direct: direct == 1, latency: latency)
    }

    init(
        layoutNanoseconds: UInt64 = 0, elapsedNanoseconds: UInt64 = 0, readOperations: UInt64 = 0, writeOperations: UInt64 = 0,
        readBytes: UInt64 = 0, writtenBytes: UInt64 = 0, direct: Bool = false, latency: LatencyHistogram = LatencyHistogram()
    ) {
        self.layoutNanoseconds = layoutNanoseconds
        self.elapsedNanoseconds = elapsedNanoseconds
        self.readOperations = readOperations
        self.writeOperations = writeOperations
        self.readBytes = readBytes
        self.writtenBytes = writtenBytes
        self.direct = direct
        self.latency = latency
    }
}
