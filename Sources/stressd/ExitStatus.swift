import ArgumentParser
import FoundationEssentials
import LinuxHost
import StressAgent
import StressClient
import StressCore

/// stressd's exit codes, documented in `--help` and the README.
enum ExitStatus {
    /// The attack ran and was cleaned up (or the command did its job).
    static let success: Int32 = 0
    /// The attack failed, a guard tripped, or cleanup left something behind.
    static let failure: Int32 = 1
    /// Bad usage or input: nothing was started.
    static let usage: Int32 = 2

    static let helpText = """
        Exit codes: 0 done; 1 the attack failed, a guard tripped, an abort \
        condition failed or cleanup left something (see the report); 2 bad \
        usage or input, or the system not in its steady state: nothing started.
        """

    /// Prints the error the way users need it and returns the exit code.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as InputError:
            printError("error: \(error)")
            return usage
        case let error as AttackFailed:
            return error.code
        case AgentError.input(let error):
            printError("error: \(error)")
            return usage
        case AgentError.notSteady:
            printError("error: \(error)")
            return usage
        case let error as AgentError:
            printError("error: \(error)")
            return failure
        case let error as HostError:
            printError("error: \(error)")
            return failure
        case let error as ClientError:
            printError("error: \(error)")
            return error.isRefusal ? usage : failure
        default:
            let code = Stressd.exitCode(for: error)
            let message = Stressd.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { TerminalText.print(message) }
                return success
            }
            if !message.isEmpty { printError(message) }
            return code == .validationFailure ? usage : code.rawValue
        }
    }

    static func printError(_ message: String) {
        StandardStream.error.write(TerminalText.printable(message) + "\n")
    }
}

/// Thrown by a command that already printed its result and only needs a
/// non-zero exit code (an attack that failed, a cleanup with leftovers).
struct AttackFailed: Error {
    var code: Int32 = ExitStatus.failure
}
