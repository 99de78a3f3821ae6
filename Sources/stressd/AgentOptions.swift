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

    /// The client for `--agent`, or nil to act locally.
    func client() throws(InputError) -> AgentClient? {
        guard let agent else {
            if tokenFile != nil {
                throw .rejected(field: "token-file", reason: "a token is only sent to a remote agent; give --agent URL too")
            }
            return nil
        }
        let token = try tokenFile.map { path throws(InputError) in try TokenFile.read(path) }
        return AgentClient(endpoint: try AgentEndpoint(url: agent, token: token))
    }

    /// Refuses a flag that only means something on this host.
    static func refuseLocalOnly(_ flag: String, given: Bool, why: String) throws(InputError) {
        if given { throw .rejected(field: flag, reason: "\(why); it cannot be used with --agent") }
    }
}
