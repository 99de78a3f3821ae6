import ArgumentParser
import FoundationEssentials
import LinuxHost
import StressAgent
import StressCore
import SystemPackage

/// Where the ledger and reports live, and the config file that sets the
/// host's defaults; shared by every command that touches them.
struct StateOptions: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Directory for the ledger and reports, yours alone: owned by you, writable by no one else (default: $STRESSD_STATE_DIR, the config's state-dir, or /var/lib/stressd).",
            valueName: "path"))
    var stateDirectory: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Config file with the safety policy and agent settings (default: \(StressdConfig.defaultPath), if it exists); flags override it.",
            valueName: "path"))
    var configPath: String?

    /// With --agent the remote agent's own ledger, reports and config apply,
    /// so --state-dir and --config here would be ignored: they are refused.
    func refuseBesideAgent() throws(InputError) {
        try AgentOptions.refuseLocalOnly("state-dir", given: stateDirectory != nil, why: "the agent keeps its own ledger and reports")
        try AgentOptions.refuseLocalOnly("config", given: configPath != nil, why: "the agent reads its own config file")
    }

    /// The config file's settings; none when the default file does not exist.
    func config() throws(InputError) -> StressdConfig {
        let path = configPath ?? ProcessInfo.processInfo.environment["STRESSD_CONFIG"] ?? StressdConfig.defaultPath
        guard FileManager.default.fileExists(atPath: path) else {
            if path == StressdConfig.defaultPath { return StressdConfig() }
            throw .rejected(field: "config", reason: "\(path) does not exist")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .rejected(field: "config", reason: "cannot read \(path) as UTF-8 text")
        }
        return try StressdConfig(parsing: text, source: path)
    }

    /// --state-dir, else $STRESSD_STATE_DIR, else `config`'s, else /var/lib/stressd.
    func resolvedStateDirectory(_ config: StressdConfig) -> FilePath {
        if let stateDirectory { return FilePath(stateDirectory) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["STRESSD_STATE_DIR"], !fromEnvironment.isEmpty {
            return FilePath(fromEnvironment)
        }
        return FilePath(config.stateDirectory ?? "/var/lib/stressd")
    }

    /// The environment for attacks, re-executing this very binary for
    /// workers, under `policy` (default: `config`'s). A command reads its
    /// config once and passes it everywhere, so its policy and its state
    /// directory never come from two versions of a file edited meanwhile.
    func environment(_ config: StressdConfig, policy: SafetyPolicy? = nil) throws -> AgentEnvironment {
        try AgentEnvironment(
            stateDirectory: resolvedStateDirectory(config), workerExecutable: Self.currentExecutable,
            policy: policy ?? config.policy, reportRetention: config.reportRetention)
    }

    /// The state directory's reports, kept as `config` says.
    func reports(_ config: StressdConfig) -> ReportStore {
        ReportStore(stateDirectory: resolvedStateDirectory(config), retention: config.reportRetention)
    }

    /// The binary that is running (/proc/self/exe), wherever it was started from.
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: ProcFS().current("exe").string))
            ?? CommandLine.arguments[0]
    }
}
