import ArgumentParser
import FoundationEssentials
import LinuxHost
import StressAgent
import StressClient
import StressCore

/// `stressd status`: what the ledger holds, running or left over.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List attacks that are running or were left over by a crash.")

    @Flag(help: "Print a JSON array.")
    var json = false

    @Option(name: .customLong("label"), help: ArgumentHelp(
        "List only the attacks carrying this label (repeatable: all must match).", valueName: "key=value"))
    var labels: [String] = []

    @OptionGroup var state: StateOptions

    @OptionGroup var remote: AgentOptions

    func run() async throws {
        let labels = try AttackLabels(pairs: labels, field: "label")
        if let client = try remote.client() {
            try state.refuseBesideAgent()
            try Self.show(try await client.attacks(matching: AttackFilter(labels: labels)), json: json)
            return
        }
        let statuses = try state.environment(try state.config()).replay.statuses()
            .filter { $0.record.labels.contains(labels) }
        if json {
            let data = try JSONCoding.encoder.encode(statuses)
            StandardStream.output.write(data + [UInt8(ascii: "\n")])
            return
        }
        guard !statuses.isEmpty else {
            TerminalText.print("no attacks running or left over")
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
            if let labels = record.spec?.labels, !labels.isEmpty { holds.append("labels \(labels)") }
            if let watchdog = record.watchdog { holds.append("watchdog pid \(watchdog.pid)") }
            TerminalText.print("\(record.id)  \(status.state.rawValue)  \(record.id.kind?.rawValue ?? "?")  \(holds.joined(separator: "  "))  \(detail)")
        }
    }

    /// A remote agent's attacks: running ones with their progress and lease,
    /// finished ones with their outcome, recovered ones with what was undone.
    static func show(_ attacks: [AttackSummary], json: Bool) throws {
        if json {
            StandardStream.output.write(try JSONCoding.encoder.encode(attacks) + [UInt8(ascii: "\n")])
            return
        }
        guard !attacks.isEmpty else {
            TerminalText.print("the agent has no attacks running, finished or recovered")
            return
        }
        for attack in attacks {
            let kind = attack.kind?.rawValue ?? "?"
            var detail: [String] = []
            switch attack.state {
            case .running:
                if let progress = attack.progress, !progress.isEmpty { detail.append(progress) }
                if let lease = attack.leaseSecondsLeft { detail.append("lease \(lease.fixed(1))s left") }
            case .finished:
                if let outcome = attack.outcome { detail.append(outcome.description) }
                if attack.cleanupVerified == false { detail.append("cleanup left something; `stressd report \(attack.id) --agent ...` says what") }
                if let layer = attack.undoneBy, layer != .supervisor { detail.append("undone by \(layer)") }
            case .recovered:
                if let undone = attack.undone { detail.append(Terminal.describe(undone)) }
            }
            if let labels = attack.labels { detail.append("labels \(labels)") }
            TerminalText.print("\(attack.id)  \(attack.state.rawValue)  \(kind)  \(detail.joined(separator: "  "))")
        }
    }
}
