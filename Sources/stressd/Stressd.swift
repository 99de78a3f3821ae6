import ArgumentParser

/// The root command: one binary for the shell, the service and the workers.
struct Stressd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stressd",
        abstract: "Inject bounded, always-undone resource faults into a Linux host.",
        discussion: """
            Every attack has a time box and is undone at its deadline, on Ctrl-C or \
            SIGTERM, and, if stressd itself is killed, by `stressd cleanup` or the next \
            stressd start (the ledger in the state directory records what exists).

            \(ExitStatus.helpText)
            """,
        version: "0.1.0",
        subcommands: [
            CPUCommand.self, MemCommand.self, DiskCommand.self, IOCommand.self, KillCommand.self, PauseCommand.self, HostCommand.self, StatusCommand.self, StopCommand.self,
            CleanupCommand.self, ReportCommand.self, ServeCommand.self,
        ]
    )
}
