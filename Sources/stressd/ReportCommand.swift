import ArgumentParser
import FoundationEssentials
import LinuxHost
import StressAgent
import StressClient
import StressCore
import SystemPackage

/// `stressd report ID`: a finished attack's report, again; `--list`: the
/// reports kept, the last to end first.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show the report of a finished attack, or list the reports kept.",
        discussion: """
            Reports are kept in the state directory (or by the agent with --agent) within
            the config's [reports] keep (default 500) and max-age (default 720h): each new
            report deletes the oldest beyond those.
            """)

    @Argument(help: "The attack id, as the attack printed it.")
    var id: String?

    @Flag(help: "List the reports kept: id, kind, start, duration, outcome, whether cleanup was verified.")
    var list = false

    @Flag(help: "Print JSON: the report, or with --list an array of summaries.")
    var json = false

    @Option(help: ArgumentHelp(
        "Also draw the report's timeline as an SVG chart in this file: the attack's load requested and achieved, host CPU, stalls, memory and free space with their floors, events and abort-condition checks.",
        valueName: "file"))
    var svg: String?

    @OptionGroup var state: StateOptions

    @OptionGroup var remote: AgentOptions

    func run() async throws {
        guard list != (id != nil) else {
            throw InputError.rejected(
                field: "id", reason: list ? "--list lists every report; leave out the id" : "give an attack id, or --list for every report kept")
        }
        if list {
            guard svg == nil else { throw InputError.rejected(field: "svg", reason: "--svg draws one report; give its id instead of --list") }
            try ReportList.show(try await summaries(), json: json)
            return
        }
        let attack = try AttackID(validating: id ?? "")
        if let svg { try ReportOutput.checkDestination(svg, field: "svg") }
        let report: AttackReport
        let savedAt: String
        if let client = try remote.client() {
            try state.refuseBesideAgent()
            report = try await client.report(attack)
            savedAt = ReportOutput.keptByAgent(report.id, at: client.endpoint.description)
        } else {
            let store = state.reports(try state.config())
            report = try store.load(attack)
            savedAt = store.path(of: report.id).string
        }
        if let svg {
            try AtomicFile.write(Array(ReportChart(report).svg.utf8), to: FilePath(svg))
        }
        if json {
            StandardStream.output.write(try ReportStore.encode(report) + [UInt8(ascii: "\n")])
        } else {
            TerminalText.print(ReportOutput.summary(report, savedAt: savedAt))
        }
    }

    private func summaries() async throws -> [AttackSummary] {
        if let client = try remote.client() {
            try state.refuseBesideAgent()
            return try await client.reports()
        }
        return try state.reports(try state.config()).summaries()
    }
}
