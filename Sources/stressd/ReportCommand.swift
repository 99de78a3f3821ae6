import ArgumentParser
import Foundation
import StressAgent
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

    func run() async throws {
        let store = ReportStore(stateDirectory: state.resolvedStateDirectory)
        let report = try store.load(try AttackID(validating: id))
        if json {
            FileHandle.standardOutput.write(try ReportStore.encode(report) + Data("\n".utf8))
        } else {
            print(ReportOutput.summary(report, savedAt: store.path(of: report.id).string))
        }
    }
}
