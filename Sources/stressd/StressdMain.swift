import ArgumentParser
import FoundationEssentials
import Glibc
import LinuxHost
import StressAgent
import StressCore

/// The entry point. Parses, runs, and maps every failure to the documented
/// exit codes (swift-argument-parser would use 64 for usage errors; stressd
/// uses 2 for every usage or input error, like GNU tools).
@main
enum StressdMain {
    static func main() async {
        // A worker that the supervisor closed the pipe on must not kill the supervisor.
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "worker" {
            runWorker(arguments)
        }
        if arguments.first == "watchdog" {
            runWatchdog(arguments)
        }
        do {
            var command = try Stressd.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(ExitStatus.report(error))
        }
    }

    /// `stressd watchdog …`, the hidden command a supervisor spawns to undo
    /// its attack if it dies or hangs (see CleanupWatchdog).
    private static func runWatchdog(_ arguments: [String]) -> Never {
        do {
            exit(try CleanupWatchdog(parsing: arguments).run(executable: StateOptions.currentExecutable))
        } catch {
            StandardStream.error.write("stressd watchdog: \(error); this command is run by stressd itself, not by people\n")
            exit(ExitStatus.usage)
        }
    }

    /// `stressd worker …`, the hidden command a supervisor re-executes to do
    /// an attack's work; read without swift-argument-parser (see WorkerInvocation).
    private static func runWorker(_ arguments: [String]) -> Never {
        do {
            exit(try WorkerInvocation(parsing: arguments).run())
        } catch {
            StandardStream.error.write("stressd worker: \(error); this command is run by stressd itself, not by people\n")
            exit(ExitStatus.usage)
        }
    }
}
