import ServiceLifecycle
import StressAgent

/// The agent as a service beside the HTTP server: on graceful shutdown
/// (SIGTERM) it is cancelled, which stops and cleans up every attack before
/// the process exits.
public struct AgentService: Service {
    let agent: Agent
    let ready: @Sendable () -> Void
    let heartbeat: Heartbeat?

    /// `ready` and `heartbeat` as `Agent.run` takes them.
    public init(agent: Agent, ready: @escaping @Sendable () -> Void, heartbeat: Heartbeat?) {
        self.agent = agent
        self.ready = ready
        self.heartbeat = heartbeat
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await agent.run(ready: ready, heartbeat: heartbeat)
        }
    }
}
