import StressCore

/// What users type in flags and fields: durations, sizes, shares, labels.
extension FuzzTarget {
    static let unitTargets: [FuzzTarget] = [
        FuzzTarget("duration", "Duration.parse: --duration, --lease, --interval") { input throws(Violation) in
            guard let duration = try? Duration.parse(input.text, field: "duration") else { return }
            try require(duration >= .zero, "'\(input.text)' parsed as a negative duration")
            // What reports print must read back as the same duration, to the millisecond.
            let printed = duration.humanReadable
            let reread = try? Duration.parse(printed, field: "duration")
            let milliseconds = (duration.seconds * 1000).rounded()
            try require(
                reread.map { abs($0.seconds * 1000 - milliseconds) < 0.001 } == true,
                "'\(input.text)' printed as '\(printed)', which reads back as \(String(describing: reread))")
        },
        FuzzTarget("bytes", "ByteCount: --size, --rate") { input throws(Violation) in
            guard let count = try? ByteCount(parsing: input.text, field: "size") else { return }
            _ = count.description
        },
        FuzzTarget("percentage", "Percentage: --load, --fill-to") { input throws(Violation) in
            guard let share = try? Percentage(parsing: input.text, field: "load") else { return }
            _ = share.description
            let reread = try? Percentage(parsing: share.wireValue, field: "load")
            try require(reread == share, "'\(input.text)' was written '\(share.wireValue)', which reads back as \(String(describing: reread))")
        },
        FuzzTarget("size-or-share", "SizeOrShare: --floor, --leave, --size 80%") { input throws(Violation) in
            guard let size = try? SizeOrShare(parsing: input.text, field: "floor") else { return }
            let reread = try? SizeOrShare(parsing: size.wireValue, field: "floor")
            try require(reread == size, "'\(input.text)' became '\(size.wireValue)', which reads back as \(String(describing: reread))")
            _ = size.description
            _ = size.bytes(of: UInt64.max)
        },
        FuzzTarget("labels", "AttackLabels: --label, ?label=, the labels field") { input throws(Violation) in
            guard let labels = try? AttackLabels(parsing: input.text) else { return }
            let reread = try? AttackLabels(parsing: labels.description)
            try require(reread == labels, "labels '\(input.text)' printed as '\(labels.description)', which reads back differently")
        },
        FuzzTarget("cores", "CoreSelection: --cores") { input throws(Violation) in
            guard let cores = try? CoreSelection(parsing: input.text) else { return }
            try require((try? CoreSelection(parsing: cores.description)) == cores, "cores '\(input.text)' does not read back")
        },
        FuzzTarget("cpu-list", "CPUList: --cpus, and the affinity mask's printed form") { input throws(Violation) in
            guard let list = try? CPUList(parsing: input.text) else { return }
            try require(list.cpus.allSatisfy { (0..<CPUList.limit).contains($0) }, "'\(input.text)' gave CPUs \(list.cpus)")
            try require((try? CPUList(parsing: list.description)) == list, "'\(input.text)' printed as '\(list)', which reads back differently")
        },
        FuzzTarget("signal", "ProcessSignal: --signal") { input throws(Violation) in
            guard let signal = try? ProcessSignal(parsing: input.text) else { return }
            try require((1...64).contains(signal.number), "'\(input.text)' parsed as signal \(signal.number)")
            // Specs write a signal as its number.
            try require((try? ProcessSignal(parsing: String(signal.number))) == signal, "signal '\(input.text)' does not read back")
        },
    ]
}
