import ArgumentParser
import StressClient
import StressCore

/// `--agent URL` and `--token-file`: act on a remote agent through its API
/// instead of on this host, with the same output.
struct AgentOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Act on the agent at this URL (`stressd serve` there) instead of this host; the port defaults to 7070.",
        valueName: "url"))
    var agent: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the agent's bearer token (with --agent).", valueName: "path"))
    var tokenFile: String?

    @Flag(name: .customLong("allow-cleartext"), help: "Send the token over http:// to an agent that is not on loopback (anyone on the path can read it).")
    var allowCleartext = false

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("CA certificates (PEM) to check an https:// agent with (default: the system's).", valueName: "path"))
    var caFile: String?

    @Option(name: .customLong("cert-file"), help: ArgumentHelp("Client certificate (PEM) for an agent that requires mutual TLS.", valueName: "path"))
    var certificateFile: String?

    @Option(name: .customLong("key-file"), help: ArgumentHelp("Private key (PEM) of --cert-file.", valueName: "path"))
    var keyFile: String?

    /// The client for `--agent`, or nil to act locally.
    func client() throws(InputError) -> AgentClient? {
        let tls = ClientTLS(caFile: caFile, certificateFile: certificateFile, keyFile: keyFile)
        guard let agent else {
            if tokenFile != nil || allowCleartext || !tls.isEmpty {
                throw .rejected(
                    field: tokenFile != nil ? "token-file" : allowCleartext ? "allow-cleartext" : "ca-file",
                    reason: "tokens and certificates are only for a remote agent; give --agent URL too")
            }
            return nil
        }
        let token = try tokenFile.map { path throws(InputError) in try TokenFile.read(path) }
        return try AgentClient(endpoint: try AgentEndpoint(url: agent, token: token, allowCleartext: allowCleartext), tls: tls)
    }

    /// Refuses a flag that only means something on this host.
    static func refuseLocalOnly(_ flag: String, given: Bool, why: String) throws(InputError) {
        if given { throw .rejected(field: flag, reason: "\(why); it cannot be used with --agent") }
    }
}
