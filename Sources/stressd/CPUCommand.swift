import ArgumentParser
import Foundation
import LinuxHost
import StressAgent
import StressCore

/// `stressd cpu`: burn CPU now, in the foreground, with live progress.
struct CPUCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cpu",
        abstract: "Burn CPU at a given load on some or all cores for a bounded time.",
        discussion: """
            Each core gets a worker process that holds the requested load with a \
            closed loop on its own CPU time. The load is added to what already runs; \
            --total instead tops the host (or its cgroup) up to the requested \
            utilisation, adapting as other load comes and goes. Inside a cgroup with \
            a CPU quota, percentages are of what the quota allows.

            Examples:
              stressd cpu --load 80% --cores 2 --duration 30s
              stressd cpu --load 60% --cores all --total --duration 5m --json

            \(ExitStatus.helpText)
            """
    )

    @Option(help: ArgumentHelp("Load per core, 1% to 100%.", valueName: "percent"))
    var load: String = "100%"

    @Option(help: ArgumentHelp("Cores to burn: a number, or 'all'.", valueName: "n|all"))
    var cores: String = "1"

    @Option(help: ArgumentHelp("How long: 30s, 5m, 1h30m.", valueName: "duration"))
    var duration: String = "60s"

    @Flag(help: "Hold the whole host (or cgroup) at --load in total, instead of adding --load to what runs.")
    var total = false

    @Option(name: .customLong("max-duration"), help: ArgumentHelp("Refuse attacks longer than this (safety policy).", valueName: "duration"))
    var maxDuration: String = "1h"

    @Flag(help: "Print the report as JSON on stdout (progress still goes to stderr).")
    var json = false

    @Option(help: ArgumentHelp("Also write the JSON report to this file.", valueName: "file"))
    var report: String?

    @OptionGroup var state: StateOptions

    /// Parses every flag into a spec; throws `InputError` before anything starts.
    func makeSpec() throws(InputError) -> (AttackSpec, CPUSpec, SafetyPolicy) {
        let cpu = CPUSpec(
            load: try Percentage(parsing: load, field: "load"),
            cores: try CoreSelection(parsing: cores),
            mode: total ? .total : .added)
        let spec = AttackSpec(.cpu(cpu), duration: try Duration.parse(duration, field: "duration"))
        let policy = SafetyPolicy(maxDuration: try Duration.parse(maxDuration, field: "max-duration"))
        return (spec, cpu, policy)
    }

    func run() async throws {
        let (spec, cpu, policy) = try makeSpec()
        let capacity = try HostObserver().cpuCapacity()
        try spec.validate(capacity: capacity, policy: policy)
        let environment = try state.environment(policy: policy)
        let terminal = Terminal()
        for undone in try environment.replay.undoOrphans() where undone.didSomething {
            terminal.note("recovered \(undone.id) left by an earlier run: \(Terminal.describe(undone))")
        }
        var generator = SystemRandomNumberGenerator()
        let attack = CPUAttack(
            id: AttackID(kind: .cpu, using: &generator), spec: spec, cpu: cpu,
            capacity: capacity, environment: environment)
        terminal.note(
            "\(attack.id): \(cpu.load) \(cpu.mode == .total ? "total " : "")on \(cpu.workerCount(capacity: capacity)) core(s) "
                + "for \(spec.duration.humanReadable) (\(capacity.description)); Ctrl-C stops it")

        let result = try await AttackRun.untilSignal(stop: StopRequest()) { stop in
            try await attack.run(stop: stop, meter: cpu.mode == .total ? HostCPUMeter() : nil) { sample, remaining in
                terminal.progress(sample, remaining: remaining, total: spec.duration)
            }
        }
        terminal.endProgress()
        try ReportOutput(json: json, file: report, stateDirectory: state.resolvedStateDirectory).emit(result)
        guard result.outcome.isSuccess, result.cleanup.isClean else { throw AttackFailed() }
    }
}
