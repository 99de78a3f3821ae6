import ArgumentParser
import FoundationEssentials
import Glibc
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
}
