import ArgumentParser
import Foundation
import LinuxHost
import StressAgent
import StressCore
import SystemPackage

/// Where the ledger and reports live; shared by every command that touches them.
struct StateOptions: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Directory for the ledger and reports (default: $STRESSD_STATE_DIR or /var/lib/stressd).",
            valueName: "path"))
    var stateDirectory: String?

    var resolvedStateDirectory: FilePath {
        if let stateDirectory { return FilePath(stateDirectory) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["STRESSD_STATE_DIR"], !fromEnvironment.isEmpty {
            return FilePath(fromEnvironment)
        }
        return "/var/lib/stressd"
    }

    /// The environment for attacks, re-executing this very binary for workers.
    func environment(policy: SafetyPolicy = .default) throws(AgentError) -> AgentEnvironment {
        try AgentEnvironment(
            stateDirectory: resolvedStateDirectory, workerExecutable: Self.currentExecutable, policy: policy)
    }

    /// The binary that is running (/proc/self/exe), wherever it was started from.
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: ProcFS().current("exe").string))
            ?? CommandLine.arguments[0]
    }
}
