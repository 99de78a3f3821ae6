import ArgumentParser
import FoundationEssentials
import LinuxHost
import StressAgent
import StressClient
import StressCore

/// `stressd stop ID|--all`: end attacks now and undo them.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop one attack, or all of them, and undo what they created.",
        discussion: "A running attack's supervisor gets SIGTERM and cleans up; if it is gone or does not finish within 5s, stressd undoes the attack itself.")

    @Argument(help: "The attack id, as `stressd status` shows it.")
    var id: String?

    @Flag(help: "Stop every attack in the ledger (or on the agent).")
    var all = false

    @Option(name: .customLong("label"), help: ArgumentHelp(
        "With --all, stop only the attacks carrying this label (repeatable: all must match).", valueName: "key=value"))
    var labels: [String] = []

    @Flag(help: "Print what was undone as JSON.")
    var json = false

    @OptionGroup var state: StateOptions

    @OptionGroup var remote: AgentOptions

    func validate() throws {
        if (id == nil) == !all {
            throw ValidationError("give an attack id or --all (not both)")
        }
        if !labels.isEmpty && !all {
            throw ValidationError("--label scopes --all; an attack id names one attack already")
        }
    }

    func run() async throws {
        let labels = try AttackLabels(pairs: labels, field: "label")
        if let client = try remote.client() {
            try state.refuseBesideAgent()
            let reports: [AttackReport]
            if let id {
                reports = [try await client.stop(try AttackID(validating: id))]
            } else {
                reports = try await client.haltAll(labeled: labels)
            }
            try Self.show(reports, json: json, agent: client.endpoint.description)
            return
        }
        let replay = try state.environment(try state.config()).replay
        let results: [UndoResult]
        if let id {
            results = [try await replay.stop(AttackID(validating: id))]
        } else {
            results = try await replay.cleanup(labeled: labels)
        }
        try UndoOutput(json: json).emit(results, nothingMessage: "no attacks to stop")
    }
}

extension StopCommand {
    /// What the agent stopped: each attack's report, as it ends one run locally.
    static func show(_ reports: [AttackReport], json: Bool, agent: String) throws {
        if json {
            StandardStream.output.write(try JSONCoding.encoder.encode(reports) + [UInt8(ascii: "\n")])
        } else if reports.isEmpty {
            TerminalText.print("no attacks to stop")
        } else {
            for report in reports {
                TerminalText.print(ReportOutput.summary(report, savedAt: ReportOutput.keptByAgent(report.id, at: agent)))
            }
        }
        if reports.contains(where: { !$0.cleanup.isClean }) { throw AttackFailed() }
    }
}

/// Prints what undoing attacks did; exits 1 if anything could not be undone.
struct UndoOutput {
    let json: Bool

    func emit(_ results: [UndoResult], nothingMessage: String) throws {
        if json {
            let data = try JSONCoding.encoder.encode(results)
            StandardStream.output.write(data + [UInt8(ascii: "\n")])
        } else if results.isEmpty {
            TerminalText.print(nothingMessage)
        } else {
            for result in results {
                TerminalText.print("\(result.id): \(Terminal.describe(result))")
            }
        }
        if results.contains(where: { !$0.errors.isEmpty }) { throw AttackFailed() }
    }
}
