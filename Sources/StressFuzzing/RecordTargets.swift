import FoundationEssentials
import StressAgent
import StressCore

/// What stressd reads back from its own state directory or argv: ledger
/// records (a crash may leave one half-written) and the hidden subcommands'
/// arguments. Replay after a crash must refuse a bad record, never trap.
extension FuzzTarget {
    static let recordTargets: [FuzzTarget] = [
        FuzzTarget("ledger-record", "LedgerRecord JSON, as replay and the watchdog read it") { input throws(Violation) in
            guard let record = try? JSONCoding.decoder.decode(LedgerRecord.self, from: Data(input)) else { return }
            let stored = try? JSONCoding.encoder.encode(record)
            let restored = stored.flatMap { try? JSONCoding.decoder.decode(LedgerRecord.self, from: $0) }
            try require(restored == record, "a record decoded from \(input.text) does not survive being written again")
        },
        FuzzTarget("latency-histogram", "an I/O worker's latency histogram as it sends it up its report pipe") { input throws(Violation) in
            guard let histogram = try? LatencyHistogram(text: input.text) else { return }
            try require((try? LatencyHistogram(text: histogram.text)) == histogram, "histogram \(input.text) does not read back")
        },
        FuzzTarget("worker-arguments", "`stressd worker` and `stressd watchdog` argv (NUL-separated)") { input throws(Violation) in
            let arguments = input.split(separator: 0, omittingEmptySubsequences: false).map { Array($0).text }
            if let worker = try? WorkerInvocation(parsing: arguments) {
                try require((try? WorkerInvocation(parsing: worker.arguments)) == worker, "worker arguments \(arguments) do not read back")
            }
            if let watchdog = try? CleanupWatchdog(parsing: arguments) {
                try require((try? CleanupWatchdog(parsing: watchdog.arguments)) == watchdog, "watchdog arguments \(arguments) do not read back")
            }
        },
    ]
}
