import ArgumentParser
import StressCore

/// `stressd kill`: kill processes, once or every interval, and time their comeback.
struct KillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Kill matching processes, once or every interval, and time how fast they come back.",
        discussion: """
            A target is identified by its pid and start time and checked again right \
            before the signal (through a pidfd), so a reused pid is never hit. PID 1, \
            stressd and its ancestors, kernel threads and a thread's id are never \
            targets; sshd, systemd-journald and the init of a container's pid namespace \
            only with --allow-protected. A container's processes may be hit, and \
            --dry-run shows their namespace. A selector that matches only processes \
            that may not be hit exits 2; one that matches nothing exits 1 (unless \
            --allow-none). The report lists every kill and when a process matching the \
            same selector came back; a single kill ends as soon as its victim is back.

            Examples:
              stressd kill --name nginx --dry-run
              stressd kill --match 'python .*worker' --signal TERM --all
              stressd kill --unit postgresql.service --interval 10s --duration 2m

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var targets: ProcessOptions

    @Option(help: ArgumentHelp("TERM, KILL, INT, HUP, QUIT, USR1, USR2 or a number (default KILL); never 18-22, which stop or resume (use pause).", valueName: "signal"))
    var signal: String?

    @Option(help: ArgumentHelp("Kill again every interval until the duration ends.", valueName: "duration"))
    var interval: String?

    @OptionGroup var options: AttackOptions

    func run() async throws {
        var parameters = targets.parameters
        parameters["signal"] = signal
        parameters["interval"] = interval
        try await options.launch(kind: .kill, parameters: parameters)
    }
}
