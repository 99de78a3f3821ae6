import ArgumentParser
import Foundation
import StressAgent
import StressCore

/// `stressd status`: what the ledger holds, running or left over.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List attacks that are running or were left over by a crash.")

    @Flag(help: "Print a JSON array.")
    var json = false

    @OptionGroup var state: StateOptions

    func run() async throws {
        let statuses = try state.environment().replay.statuses()
        if json {
            let data = try JSONCoding.encoder.encode(statuses)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
            return
        }
        guard !statuses.isEmpty else {
            print("no attacks running or left over")
            return
        }
        let now = Date()
        for status in statuses {
            let record = status.record
            let left = max(0, record.deadline.timeIntervalSince(now))
            let detail = status.state == .running
                ? "\(Duration.seconds(left).humanReadable) left, supervisor pid \(record.supervisor.pid)"
                : "supervisor gone; `stressd cleanup` undoes it"
            var holds: [String] = []
            if !record.workers.isEmpty {
                holds.append("workers [\(record.workers.map { String($0.pid) }.joined(separator: ","))]")
            }
            holds += record.fillDirectories.map { "fill \($0)" }
            print("\(record.id)  \(status.state.rawValue)  \(record.spec.kind.rawValue)  \(holds.joined(separator: "  "))  \(detail)")
        }
    }
}
