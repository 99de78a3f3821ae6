import ArgumentParser
import StressCore

/// `stressd mem`: hold memory resident now, in the foreground.
struct MemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mem",
        abstract: "Hold memory resident (a memory hog) for a bounded time.",
        discussion: """
            A worker process allocates anonymous memory and touches every page, so it \
            is really resident (RSS), then holds it until the deadline. It volunteers \
            to be the OOM killer's first choice (oom_score_adj 1000): if the kernel must \
            kill something, it kills the hog, not your service and not stressd. If that \
            happens the attack ends as oom-killed (or, with --respawn, a new hog takes \
            its place). A guard stops the attack within 250 ms if memory available \
            falls below the floor, whatever caused it.

            Swap: without --lock, the kernel may swap the hog's pages out on a host \
            with swap, which turns memory pressure into swap traffic; --lock (mlock) \
            keeps them in RAM. On hosts without swap both behave the same.

            Examples:
              stressd mem --size 2G --duration 60s
              stressd mem --size 80% --of available --rate 256M/s --duration 2m
              stressd mem --fill-to 90% --duration 5m

            \(ExitStatus.helpText)
            """
    )

    @Option(help: ArgumentHelp("How much to hold: 512M, 2G, or a share such as 80% (of --of).", valueName: "size"))
    var size: String?

    @Option(help: ArgumentHelp("What a percentage --size is of: limit (cgroup limit, else MemTotal), total, or available.", valueName: "base"))
    var of: String?

    @Option(name: .customLong("fill-to"), help: ArgumentHelp("Instead of --size: hold the memory in use at this share of the limit, adapting to other processes.", valueName: "percent"))
    var fillTo: String?

    @Option(help: ArgumentHelp("Ramp up at this rate (e.g. 256M/s) instead of at once.", valueName: "rate"))
    var rate: String?

    @Flag(help: "mlock the memory so it stays in RAM (never swapped).")
    var lock = false

    @Flag(help: "If the kernel OOM-kills the hog, start a new one (within the time box).")
    var respawn = false

    @Option(help: ArgumentHelp("Guard: never let available memory fall below this (size or %; default: the larger of 256M and 5%). With --agent: may only raise the agent's floor.", valueName: "size"))
    var floor: String?

    @OptionGroup var options: AttackOptions

    func run() async throws {
        var parameters = FlatParameters()
        parameters["size"] = size
        parameters["of"] = of
        parameters["fill-to"] = fillTo
        parameters["rate"] = rate
        parameters["lock"] = lock ? "true" : nil
        parameters["respawn"] = respawn ? "true" : nil
        try await options.launch(kind: .mem, parameters: parameters) { policy throws(InputError) in
            if let floor {
                policy.memoryFloor = try SizeOrShare(parsing: floor, field: "floor")
            }
        }
    }
}
