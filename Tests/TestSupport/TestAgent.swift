import LinuxHost
import StressAgent
import SystemPackage

extension AgentEnvironment {
    /// An environment over `state` as in-process tests use it: `/bin/false`
    /// as the worker, since what they start needs none (disk fills, process
    /// attacks) or must never run one.
    public static func testing(
        _ state: FilePath, procFS: ProcFS = ProcFS(), cgroupFS: CgroupFS = CgroupFS()
    ) throws -> AgentEnvironment {
        try AgentEnvironment(stateDirectory: state, workerExecutable: "/bin/false", procFS: procFS, cgroupFS: cgroupFS)
    }
}

extension Agent {
    /// Runs the agent's service body beside `body`, then cancels it and
    /// waits for it to finish (its cleanup included).
    nonisolated public func running<Value>(
        heartbeat: Heartbeat? = nil, _ body: () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Void.self, returning: Value.self) { group in
            group.addTask { try await self.run(heartbeat: heartbeat) }
            let value = try await body()
            group.cancelAll()
            try await group.waitForAll()
            return value
        }
    }
}
