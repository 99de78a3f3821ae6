import StressCore
/// `/proc/loadavg`: run-queue averages over 1, 5 and 15 minutes.
///
/// Format (proc(5)): `0.37 0.32 0.17 1/78 3596` — three averages, then
/// runnable/total scheduling entities, then the most recently created pid.
/// The averages count tasks running *or* in uninterruptible sleep, so they
/// are not CPU usage; they are shown because operators know them.
/// https://docs.kernel.org/filesystems/proc.html#kernel-data
public struct LoadAverage: Hashable, Sendable {
    public var one: Double
    public var five: Double
    public var fifteen: Double
    /// Tasks runnable right now.
    public var runnable: Int
    /// Scheduling entities (threads) that exist.
    public var entities: Int
    public var lastPID: Int32

    public init(parsing text: String, file: String = "loadavg") throws(HostError) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        let counts = words.count > 3 ? words[3].split(separator: "/") : []
        guard words.count == 5, counts.count == 2,
              let one = Double(finite: words[0]), let five = Double(finite: words[1]), let fifteen = Double(finite: words[2]),
              let runnable = Int(counts[0]), let entities = Int(counts[1]), let lastPID = Int32(words[4])
        else {
            throw .unparsable(file: file, text: text, reason: "expected 'avg1 avg5 avg15 runnable/total lastpid'")
        }
        self.one = one
        self.five = five
        self.fifteen = fifteen
        self.runnable = runnable
        self.entities = entities
        self.lastPID = lastPID
    }
}

extension ProcFS {
    public func loadAverage() throws(HostError) -> LoadAverage {
        let path = file("loadavg")
        return try LoadAverage(parsing: read(path), file: path.string)
    }

    /// The same, through a file held open (a guard's readings).
    public func loadAverage(through held: HeldFiles) throws(HostError) -> LoadAverage {
        let path = file("loadavg")
        guard let text = try held.text(path) else {
            throw .system(call: "open", path: path.string, errno: .noSuchFileOrDirectory)
        }
        return try LoadAverage(parsing: text, file: path.string)
    }
}
