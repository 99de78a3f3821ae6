import ArgumentParser
import Foundation
import Hummingbird
import Logging
import StressAgent
import StressCore
import StressServer
import Systemd

/// `stressd serve`: the agent for orchestrators, on loopback by default.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the agent: an HTTP API that starts, watches and stops attacks.",
        discussion: """
            Replays the ledger first (undoing whatever a crash left; those attacks are \
            listed as `recovered`), then serves /v1/attacks. Listens on 127.0.0.1:7070 by \
            default and refuses to listen elsewhere without --token-file. Under systemd \
            (Type=notify) it reports READY after the replay, pings the watchdog from its \
            supervisor loop and shows the running attacks in STATUS. SIGTERM stops every \
            attack and cleans up before exiting. Logs go to journald with fields such as \
            ATTACK_ID when stderr is the journal, else to stderr as logfmt.
            """
    )

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "host:port"))
    var listen: String = "127.0.0.1:7070"

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the bearer token clients must send.", valueName: "path"))
    var tokenFile: String?

    @Option(name: .customLong("max-attacks"), help: ArgumentHelp("Attacks allowed at once.", valueName: "n"))
    var maxAttacks: Int = 8

    @OptionGroup var state: StateOptions

    func run() async throws {
        let (host, port) = try ListenAddress.parse(listen)
        let token = try tokenFile.map { path throws(InputError) in try TokenFile.read(path) }
        if token == nil, !ListenAddress.isLoopback(host) {
            throw InputError.rejected(field: "listen", reason: "\(host) is not a loopback address; give --token-file to listen there")
        }
        guard maxAttacks >= 1 else {
            throw InputError.outOfRange(field: "max-attacks", value: String(maxAttacks), allowed: "at least 1")
        }
        ServiceLog.bootstrap()
        let agent = Agent(
            environment: try state.environment(), maxConcurrent: maxAttacks, logger: Logger(label: "stressd.agent"))
        let notifier = ServiceNotifier()
        let watchdog = WatchdogPacer(interval: notifier.watchdogInterval)
        // READY only once both the replay is done and the port is open.
        let ready = ReadyGate(parts: 2) { notifier.ready(status: "serving on \(host):\(port)") }
        let service = AgentService(
            agent: agent, ready: { ready.arrive() },
            heartbeat: { if watchdog.due() { notifier.watchdog() } })
        let app = Application(
            router: StressAPI.router(
                agent: agent, reports: ReportStore(stateDirectory: state.resolvedStateDirectory), token: token),
            configuration: .init(address: .hostname(host, port: port), serverName: "stressd"),
            services: [service],
            onServerRunning: { _ in ready.arrive() })
        try await app.runService()
        notifier.stopping()
    }
}
