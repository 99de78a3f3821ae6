import ArgumentParser
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
              stressd cpu --load 90% --cpus 0,2-3 --duration 1m

            \(ExitStatus.helpText)
            """
    )

    @Option(help: ArgumentHelp("Load per core, 1% to 100%.", valueName: "percent"))
    var load: String = "100%"

    @Option(help: ArgumentHelp("Cores to burn: a number, or 'all' (default: 1).", valueName: "n|all"))
    var cores: String?

    @Option(help: ArgumentHelp(
        "Instead of --cores: one worker pinned to each of these CPUs (0,2-3, as taskset -c takes them), within the CPUs stressd may run on.",
        valueName: "list"))
    var cpus: String?

    @Flag(help: "Hold the whole host (or cgroup) at --load in total, instead of adding --load to what runs.")
    var total = false

    @Option(name: .customLong("max-load-avg"), help: ArgumentHelp("Guard: stop if the 1-minute load average passes this. With --agent: may only lower the agent's cap.", valueName: "load"))
    var maxLoadAverage: String?

    @OptionGroup var options: AttackOptions

    func run() async throws {
        var parameters = FlatParameters(["load": load, "mode": total ? "total" : "added"])
        parameters["cores"] = cores
        parameters["cpus"] = cpus
        try await options.launch(kind: .cpu, parameters: parameters) { policy throws(InputError) in
            if let text = maxLoadAverage {
                policy.maxLoadAverage = try StricterPolicy.parseLoadAverage(text)
            }
        }
    }
}
