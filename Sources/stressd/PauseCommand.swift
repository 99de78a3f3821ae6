import ArgumentParser
import StressCore

/// `stressd pause`: stop processes (SIGSTOP) and resume them at the deadline.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause matching processes (SIGSTOP) and resume them (SIGCONT) at the deadline.",
        discussion: """
            Each target is recorded in the ledger before it is stopped, so if stressd \
            itself dies, `stressd cleanup` or the next stressd start resumes it: a paused \
            process is never left paused. Targets are chosen as for `stressd kill`.

            Examples:
              stressd pause --name redis-server --duration 30s
              stressd pause --cgroup /system.slice/app.service --all --dry-run

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var targets: ProcessOptions

    @OptionGroup var options: AttackOptions

    func run() async throws {
        try await options.launch(kind: .pause, parameters: targets.parameters)
    }
}
