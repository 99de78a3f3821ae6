import LinuxHost

/// What one `stressd worker io` process does: load one file of the attack's
/// folder (its fd 3, opened by the supervisor) with blocks of `blockBytes`,
/// a `readFraction` of them reads, at its share of the attack's pace.
public struct IOWorkerJob: Equatable, Sendable {
    /// `fill-NNNN`: the folder's undo deletes only names of that form.
    public var fileName: String
    public var bytes: UInt64
    public var blockBytes: Int
    public var readFraction: Double
    /// This worker's share of the attack's pace; nil: as fast as it goes.
    public var pace: IOLoad.Pace?
    public var direct: Bool
    public var sequential: Bool
    /// Fixes the worker's offsets and its mix of reads and writes.
    public var seed: UInt64

    public init(
        fileName: String, bytes: UInt64, blockBytes: Int, readFraction: Double, pace: IOLoad.Pace? = nil,
        direct: Bool, sequential: Bool, seed: UInt64
    ) {
        self.fileName = fileName
        self.bytes = bytes
        self.blockBytes = blockBytes
        self.readFraction = readFraction
        self.pace = pace
        self.direct = direct
        self.sequential = sequential
        self.seed = seed
    }

    var arguments: [String] {
        var arguments = [
            "io", "--file", fileName, "--bytes", String(bytes), "--block-size", String(blockBytes),
            "--read", String(readFraction), "--seed", String(seed),
        ]
        switch pace {
        case .bytesPerSecond(let rate): arguments += ["--rate", String(rate)]
        case .operationsPerSecond(let rate): arguments += ["--iops", String(rate)]
        case nil: break
        }
        if direct { arguments.append("--direct") }
        if sequential { arguments.append("--sequential") }
        return arguments
    }

    /// The inverse of `arguments` (after `io`): `take` removes a named value.
    init(taking take: (String) throws(WorkerInvocation.Malformed) -> String?, flags: Set<String>) throws(WorkerInvocation.Malformed) {
        func required(_ name: String) throws(WorkerInvocation.Malformed) -> String {
            guard let text = try take(name) else { throw WorkerInvocation.Malformed(description: "missing \(name)") }
            return text
        }
        func number<T: FixedWidthInteger>(_ text: String, _ name: String) throws(WorkerInvocation.Malformed) -> T {
            guard let value = T(text), value > 0 else { throw WorkerInvocation.Malformed(description: "\(name) \(text) is not a positive count") }
            return value
        }
        fileName = try required("--file")
        bytes = try number(try required("--bytes"), "--bytes")
        blockBytes = try number(try required("--block-size"), "--block-size")
        let read = try required("--read")
        guard let fraction = Double(read), fraction.isFinite, (0...1).contains(fraction) else {
            throw WorkerInvocation.Malformed(description: "--read \(read) is not a fraction from 0 to 1")
        }
        readFraction = fraction
        guard let seed = UInt64(try required("--seed")) else { throw WorkerInvocation.Malformed(description: "--seed is not a number") }
        self.seed = seed
        switch (try take("--rate"), try take("--iops")) {
        case (nil, nil): pace = nil
        case (let rate?, nil): pace = .bytesPerSecond(try number(rate, "--rate"))
        case (nil, let iops?): pace = .operationsPerSecond(try number(iops, "--iops"))
        case (_?, _?): throw WorkerInvocation.Malformed(description: "--rate and --iops are exclusive")
        }
        direct = flags.contains("--direct")
        sequential = flags.contains("--sequential")
    }
}
