import ArgumentParser
import FoundationEssentials
import LinuxHost
import StressAgent
import StressClient
import StressCore

/// The flags every attack command shares: its time box, the safety policy's
/// maximum, how the report is given, and where the state lives.
struct AttackOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How long: 30s, 5m, 1h30m (default: 60s; 10s for kill, 30s for pause).", valueName: "duration"))
    var duration: String?

    @Option(name: .customLong("max-duration"), help: ArgumentHelp("Refuse attacks longer than this (safety policy; default 1h).", valueName: "duration"))
    var maxDuration: String?

    @Flag(help: "Print the report as JSON on stdout (progress still goes to stderr).")
    var json = false

    @Flag(name: .customLong("dry-run"), help: ArgumentHelp(
        "Show the plan and start nothing: workers, cores and load, bytes and files, the processes a kill or pause would hit, each guard with the margin the attack would leave, and what each abort condition sees now. Exit 2 if the attack would be refused."))
    var dryRun = false

    @Option(help: ArgumentHelp("Also write the JSON report to this file.", valueName: "file"))
    var report: String?

    @Option(name: .customLong("label"), help: ArgumentHelp(
        "Label the attack (repeatable), so `status --label` and `stop --all --label` can be scoped to it.",
        valueName: "key=value"))
    var labels: [String] = []

    @Option(name: .customLong("abort-unless"), help: ArgumentHelp(
        """
        Stop the attack (outcome aborted, exit 1) when this stops holding, and refuse to start (exit 2) \
        unless it holds now. Repeatable. One of: 'http URL [status=200-299] [latency=300ms]', \
        'tcp HOST:PORT [latency=100ms]', 'pressure cpu|memory|io some=P|full=P [unit=U|cgroup=PATH]', \
        'process NAME|match=RE|pid=N|unit=U|cgroup=PATH [min=N]', 'prometheus URL QUERY [min=X] [max=Y]'; \
        each also takes every=1s (100ms to 60s) and misses=1 (failures in a row that abort), \
        and http, tcp and prometheus timeout=1s.
        """,
        valueName: "condition"))
    var abortUnless: [String] = []

    @OptionGroup var state: StateOptions

    @OptionGroup var remote: AgentOptions

    /// Validates and runs an attack in the foreground: replays the ledger,
    /// shows progress, stops on SIGINT/SIGTERM/SIGHUP, prints the report, and
    /// exits 1 if the attack failed or left anything behind.
    func launch(
        kind: AttackKind, parameters: FlatParameters, policy adjust: (inout SafetyPolicy) throws(InputError) -> Void = { _ in }
    ) async throws {
        if let report { try ReportOutput.checkDestination(report) }
        var flat = parameters
        flat["duration"] = duration ?? kind.defaultDuration.humanReadable
        let labels = try AttackLabels(pairs: labels, field: "label")
        if !labels.isEmpty { flat["labels"] = labels.description }
        let spec = try AttackSpec(kind: kind, parameters: flat)
        let conditions = try abortUnless.map { line throws(InputError) in try AbortCondition(line: line) }
        if let client = try remote.client() {
            var flagged = SafetyPolicy.default
            try adjust(&flagged)
            flagged.abortConditions = conditions
            try await launchRemotely(kind: kind, parameters: flat, client: client, flagged: flagged)
            return
        }
        // The config file's policy, then the flags over it.
        let config = try state.config()
        var policy = config.policy
        if let maxDuration {
            policy.maxDuration = try Duration.parse(maxDuration, field: "max-duration")
        }
        try adjust(&policy)
        policy.abortConditions += conditions
        let admission = try await AttackAdmission(spec, policy: policy, forPlan: dryRun) { () throws(HostError) in
            try HostObserver().limits()
        }
        if dryRun {
            try PlanOutput(json: json).emit(admission.plan())
            return
        }
        let limits = admission.limits

        let environment = try state.environment(config, policy: policy)
        let terminal = Terminal()
        for undone in try environment.replay.undoOrphans() where undone.didSomething {
            terminal.note("recovered \(undone.id) left by an earlier run: \(Terminal.describe(undone))")
        }
        var generator = SystemRandomNumberGenerator()
        let supervisor = AttackSupervisor(
            id: AttackID(kind: kind, using: &generator), spec: spec, limits: limits, environment: environment)
        terminal.note("\(supervisor.id): \(spec.summary(host: limits)); Ctrl-C stops it")

        let finished = try await AttackRun.untilSignal(stop: StopRequest()) { stop in
            try await supervisor.run(stop: stop) { terminal.progress($0) }
        }
        terminal.endProgress()
        try finish(finished.report, keeper: .stateDirectory(finished.saved))
    }

    /// The same attack on the agent at `--agent`: validated there, watched
    /// from here. The safety policy is the agent's own: `--floor` and
    /// `--max-load-avg` (`flagged` holds what they set) go along as a request
    /// to make it stricter for this attack, which the agent refuses if it
    /// would loosen it, and `--abort-unless` conditions are added to the
    /// agent's own; `--max-duration` has nothing to tighten there (the
    /// duration is the request's own) and is refused rather than ignored.
    private func launchRemotely(
        kind: AttackKind, parameters: FlatParameters, client: AgentClient, flagged: SafetyPolicy
    ) async throws {
        try AgentOptions.refuseLocalOnly("max-duration", given: maxDuration != nil, why: "the agent's safety policy applies to its attacks")
        try state.refuseBesideAgent()
        var request = parameters
        StricterPolicy(floor: flagged.memoryFloor ?? flagged.diskFloor, maxLoadAverage: flagged.maxLoadAverage)
            .write(to: &request)
        if dryRun {
            request["kind"] = kind.rawValue
            try PlanOutput(json: json).emit(try await client.plan(request, abortConditions: flagged.abortConditions))
            return
        }
        let result = try await RemoteAttack(client: client).run(
            kind: kind, parameters: request, abortConditions: flagged.abortConditions)
        try finish(result, keeper: .agent(client.endpoint.description))
    }

    /// Prints the report; exits 1 if the attack failed or left anything behind.
    private func finish(_ result: AttackReport, keeper: ReportOutput.Keeper) throws {
        try ReportOutput(json: json, file: report, keeper: keeper).emit(result)
        guard result.outcome.isSuccess, result.cleanup.isClean else { throw AttackFailed() }
    }
}
