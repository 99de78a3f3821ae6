import FoundationEssentials
import LinuxHost
import StressCore

/// `stressd report --list`: one line per kept report, as a table a person
/// scans (the last to end first), or the summaries as JSON.
enum ReportList {
    static func show(_ reports: [AttackSummary], json: Bool) throws {
        if json {
            StandardStream.output.write(try JSONCoding.encoder.encode(reports) + [UInt8(ascii: "\n")])
            return
        }
        guard !reports.isEmpty else {
            TerminalText.print("no reports kept")
            return
        }
        let rows = reports.map { report -> [String] in
            let started = report.startedAt.map { $0.formatted(.iso8601) } ?? "-"
            var duration = "-"
            if let start = report.startedAt, let end = report.endedAt {
                duration = Duration.seconds(end.timeIntervalSince(start)).humanReadable
            }
            let cleanup = report.cleanupVerified.map { $0 ? "verified" : "LEFT SOMETHING" } ?? "-"
            return [report.id.rawValue, report.kind?.rawValue ?? "?", started, duration, report.outcome?.status ?? "-", cleanup]
        }
        let header = ["ID", "KIND", "STARTED", "DURATION", "OUTCOME", "CLEANUP"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let padded = zip(row.dropLast(), widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
            TerminalText.print((padded + [row.last ?? ""]).joined(separator: "  "))
        }
    }
}
