import ArgumentParser
import FoundationEssentials
import Hummingbird
import Logging
import StressAgent
import StressCore
import ServiceLifecycle
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
            default and refuses to listen elsewhere without --token-file. With --tls-cert \
            and --tls-key it serves HTTPS (TLS 1.2 or later); --tls-client-ca also requires \
            client certificates (mutual TLS). Under systemd \
            (Type=notify) it reports READY after the replay, pings the watchdog from its \
            supervisor loop and shows the running attacks in STATUS. SIGTERM stops every \
            attack and cleans up before exiting. Logs go to journald with fields such as \
            ATTACK_ID when stderr is the journal, else to stderr as logfmt.
            """
    )

    @Option(help: ArgumentHelp("Address to listen on (default: the config's listen, or 127.0.0.1:7070).", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the bearer token clients must send.", valueName: "path"))
    var tokenFile: String?

    @Option(name: .customLong("max-attacks"), help: ArgumentHelp("Attacks allowed at once (default: the config's max-attacks, or 8).", valueName: "n"))
    var maxAttacks: Int?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this certificate chain (PEM; default: the config's tls.certificate).", valueName: "path"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("Private key (PEM) of --tls-cert.", valueName: "path"))
    var tlsKey: String?

    @Option(name: .customLong("tls-client-ca"), help: ArgumentHelp("Mutual TLS: require client certificates signed by this CA (PEM).", valueName: "path"))
    var tlsClientCA: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("Least important log lines kept: \(ServiceLog.levels.joined(separator: ", ")) (default info).", valueName: "level"))
    var logLevel: String = "info"

    @OptionGroup var state: StateOptions

    func run() async throws {
        let config = try state.config()
        let notifier = ServiceNotifier()
        let inherited = try inheritedSocket(notifier)
        let (host, port) = try inherited.map { $0.address } ?? ListenAddress.parse(listen ?? config.listen ?? "127.0.0.1:7070")
        let token = try (tokenFile ?? config.tokenFile).map { path throws(InputError) in try TokenFile.read(path) }
        let maxAttacks = self.maxAttacks ?? config.maxAttacks ?? 8
        // The certificate files are read once, here, before anything starts.
        let tls = try serverTLS(config)?.configuration()
        let server = try ServerTLS.httpServer(tls)
        if token == nil, !ListenAddress.isLoopback(host) {
            throw InputError.rejected(field: "listen", reason: "\(host) is not a loopback address; give --token-file to listen there")
        }
        guard maxAttacks >= 1 else {
            throw InputError.outOfRange(field: "max-attacks", value: String(maxAttacks), allowed: "at least 1")
        }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw InputError.malformed(field: "log-level", value: logLevel, expected: ServiceLog.levels.joined(separator: ", "))
        }
        ServiceLog.bootstrap(level: level)
        let agent = Agent(
            environment: try state.environment(), maxConcurrent: maxAttacks, logger: Logger(label: "stressd.agent"))
        let watchdog = WatchdogPacer(interval: notifier.watchdogInterval)
        // READY only once both the replay is done and the port is open.
        let ready = ReadyGate(parts: 2) { notifier.ready(status: "serving on \(host):\(port)") }
        let service = AgentService(
            agent: agent, ready: { ready.arrive() },
            heartbeat: { if watchdog.due() { notifier.watchdog() } })
        let router = StressAPI.router(
            agent: agent, reports: ReportStore(stateDirectory: try state.resolvedStateDirectory()), token: token)
        if let inherited {
            let http = InheritedSocketServer(
                descriptor: inherited.descriptor, router: router, tls: tls,
                logger: Logger(label: "stressd.http"), onServerRunning: { ready.arrive() })
            try await ServiceGroup(
                services: [service, http], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "stressd")
            ).run()
        } else {
            let app = Application(
                router: router, server: server,
                configuration: .init(address: .hostname(host, port: port), serverName: "stressd"),
                services: [service],
                onServerRunning: { _ in ready.arrive() })
            try await app.runService()
        }
        notifier.stopping()
    }

    /// The listening socket systemd passed (stressd.socket), if any, with
    /// the address it is bound to; the socket unit then decides where the
    /// agent listens, so --listen alongside it is an error.
    private func inheritedSocket(_ notifier: ServiceNotifier) throws(InputError) -> (descriptor: CInt, address: (String, Int))? {
        let descriptors = notifier.listenDescriptors()
        guard let descriptor = descriptors.first else { return nil }
        guard descriptors.count == 1 else {
            throw .rejected(field: "listen", reason: "systemd passed \(descriptors.count) sockets; stressd.socket must have exactly one ListenStream=")
        }
        guard listen == nil else {
            throw .rejected(field: "listen", reason: "the socket comes from systemd (stressd.socket); set ListenStream= there instead of --listen")
        }
        guard let address = InheritedSocketServer.localAddress(of: descriptor) else {
            throw .rejected(field: "listen", reason: "the socket systemd passed is not a TCP socket; use ListenStream=HOST:PORT in stressd.socket")
        }
        return (descriptor, address)
    }

    /// The --tls-* flags over the config's `[tls]`; half a TLS setting is an error.
    private func serverTLS(_ config: StressdConfig) throws(InputError) -> ServerTLS? {
        let certificate = tlsCertificate ?? config.tlsCertificate
        let key = tlsKey ?? config.tlsKey
        let clientCA = tlsClientCA ?? config.tlsClientCA
        switch (certificate, key) {
        case (nil, nil):
            if clientCA != nil {
                throw .rejected(field: "tls-client-ca", reason: "mutual TLS needs the agent's own certificate too; give --tls-cert and --tls-key")
            }
            return nil
        case (let certificate?, let key?):
            return ServerTLS(certificateFile: certificate, keyFile: key, clientCAFile: clientCA)
        default:
            throw .rejected(field: certificate == nil ? "tls-cert" : "tls-key", reason: "TLS needs both a certificate (--tls-cert) and its key (--tls-key)")
        }
    }
}
