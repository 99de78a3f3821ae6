import ArgumentParser
import FoundationEssentials
import LinuxHost
import StressAgent
import StressClient
import StressCore

/// `stressd report ID`: a finished attack's report, again.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show the report of a finished attack.")

    @Argument(help: "The attack id, as the attack printed it.")
    var id: String

    @Flag(help: "Print the JSON report.")
    var json = false

    @OptionGroup var state: StateOptions

    @OptionGroup var remote: AgentOptions

    func run() async throws {
        let attack = try AttackID(validating: id)
        let report: AttackReport
        let savedAt: String
        if let client = try remote.client() {
            try state.refuseBesideAgent()
            report = try await client.report(attack)
            savedAt = ReportOutput.keptByAgent(report.id, at: client.endpoint.description)
        } else {
            let store = ReportStore(stateDirectory: try state.resolvedStateDirectory())
            report = try store.load(attack)
            savedAt = store.path(of: report.id).string
        }
        if json {
            StandardStream.output.write(try ReportStore.encode(report) + [UInt8(ascii: "\n")])
        } else {
            print(ReportOutput.summary(report, savedAt: savedAt))
        }
    }
}
