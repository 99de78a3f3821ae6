import ArgumentParser
import CoreMetrics
import FoundationEssentials
import LinuxHost
import Logging
import OneShotNetwork
import StressAgent
import StressCore
import ServiceLifecycle
import StressClient
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
            default and always needs --token-file, loopback included: any local user can \
            reach a TCP port, and the agent runs as root. Make a token with \
            `(umask 077; openssl rand -hex 32 > /etc/stressd/token)`. With --tls-cert \
            and --tls-key it serves HTTPS (TLS 1.2 or later); --tls-client-ca also requires \
            client certificates (mutual TLS). Off loopback it refuses plain HTTP, which \
            would show the token to the network, unless --allow-cleartext says so. \
            It holds at most --max-connections connections (an idle one makes room for a \
            new one) and closes one idle for --idle-timeout. Under systemd \
            (Type=notify) it reports READY after the replay, pings the watchdog from its \
            supervisor loop and shows how many attacks run in STATUS. SIGTERM stops every \
            attack and cleans up before exiting. Logs go to journald with fields such as \
            ATTACK_ID when stderr is the journal, else to stderr as logfmt.
            """
    )

    @Option(help: ArgumentHelp("Address to listen on (default: the config's listen, or 127.0.0.1:7070).", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the bearer token clients must send.", valueName: "path"))
    var tokenFile: String?

    @Flag(name: .customLong("allow-cleartext"), help: "Serve plain HTTP on a non-loopback address: the token crosses the network readable (a warning is logged).")
    var allowCleartext = false

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Connections held at once; at the limit, the one idle the longest makes room.", valueName: "n"))
    var maxConnections = ConnectionLimits.defaults.maxConnections

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Close a connection with no request for this long; also the time a request's head may take (default \(ConnectionLimits.defaults.idleTimeout.humanReadable)).", valueName: "duration"))
    var idleTimeout: String?

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
        let token = try self.token(config)
        let maxAttacks = self.maxAttacks ?? config.maxAttacks ?? 8
        // The certificate files are read once, here, before anything starts.
        let tls = try serverTLS(config)?.configuration()
        let cleartextOffLoopback = tls == nil && !LoopbackHost.contains(host)
        if cleartextOffLoopback, !allowCleartext {
            throw InputError.rejected(
                field: "listen",
                reason: "\(host) is not a loopback address, and over plain HTTP the token would cross the network readable; serve HTTPS with --tls-cert and --tls-key, or pass --allow-cleartext if the network is protected otherwise")
        }
        let limits = try connectionLimits()
        guard maxAttacks >= 1 else {
            throw InputError.outOfRange(field: "max-attacks", value: String(maxAttacks), allowed: "at least 1")
        }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw InputError.malformed(field: "log-level", value: logLevel, expected: ServiceLog.levels.joined(separator: ", "))
        }
        ServiceLog.bootstrap(level: level)
        if cleartextOffLoopback {
            Logger(label: "stressd").warning(
                "serving plain HTTP off loopback (--allow-cleartext): anyone on the network path can read the token",
                metadata: ["listen": "\(host):\(port)"])
        }
        let environment = try state.environment(config)
        // One registry for what the agent counts, Hummingbird's request
        // metrics (through swift-metrics' global factory) and /metrics.
        let metrics = MetricsScrape()
        MetricsSystem.bootstrap(metrics.factory)
        // Code pages that start-up, a request or an attack mapped go back
        // to the kernel once the agent is quiet (CodePages).
        let release = IdleMemoryRelease { CodePages.release() }
        let agent = Agent(
            environment: environment, maxConcurrent: maxAttacks, logger: Logger(label: "stressd.agent"),
            metrics: AgentMetrics(factory: metrics.factory),
            runningChanged: { running in
                notifier.status(Self.status(host: host, port: port, running: running))
                if running == 0 { release.activity() }
            })
        // READY only once both the replay is done and the port is open.
        let ready = ReadyGate(parts: 2) {
            notifier.ready(status: Self.status(host: host, port: port, running: 0))
            release.activity()
        }
        let service = AgentService(
            agent: agent, ready: { ready.arrive() },
            heartbeat: notifier.watchdogInterval.map { Heartbeat(interval: $0, beat: { notifier.watchdog() }) })
        let router = StressAPI.router(agent: agent, reports: environment.reports, token: token, metrics: metrics)
        let server = APIServer(
            inherited.map { .inherited(descriptor: $0.descriptor) } ?? .address(host: host, port: port),
            router: router, tls: tls, limits: limits, logger: Logger(label: "stressd.http"),
            onServerRunning: { _ in
                Logger(label: "stressd.http").info("serving the API", metadata: ["listen": "\(host):\(port)"])
                ready.arrive()
            },
            onResponse: { release.activity() })
        try await ServiceGroup(
            services: [service, server, release], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "stressd")
        ).run()
        notifier.stopping()
    }

    /// The line `systemctl status stressd` shows: where it serves, and how
    /// many attacks run there now.
    static func status(host: String, port: Int, running: Int) -> String {
        "serving on \(host):\(port)" + (running == 0 ? "" : ", \(running) attack\(running == 1 ? "" : "s") running")
    }

    /// The bearer token, which every listener needs: on a multi-user host
    /// loopback is no boundary, and without a token any local user could
    /// make this root agent kill processes and fill disks.
    private func token(_ config: StressdConfig) throws(InputError) -> String {
        guard let path = tokenFile ?? config.tokenFile else {
            throw .rejected(
                field: "token-file",
                reason: "the agent needs a bearer token, on loopback too (any local user can connect there); make one with `(umask 077; openssl rand -hex 32 > /etc/stressd/token)` and pass --token-file /etc/stressd/token (or set token-file in stressd.toml)")
        }
        return try TokenFile.read(path)
    }

    /// --max-connections and --idle-timeout, checked.
    private func connectionLimits() throws(InputError) -> ConnectionLimits {
        guard maxConnections >= 1 else {
            throw .outOfRange(field: "max-connections", value: String(maxConnections), allowed: "at least 1")
        }
        let idle = try idleTimeout.map { text throws(InputError) in try Duration.parse(text, field: "idle-timeout") }
            ?? ConnectionLimits.defaults.idleTimeout
        guard idle > .zero else {
            throw .outOfRange(field: "idle-timeout", value: idleTimeout ?? "", allowed: "longer than 0s")
        }
        return ConnectionLimits(maxConnections: maxConnections, idleTimeout: idle)
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
        guard let address = APIServer.localAddress(of: descriptor) else {
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
