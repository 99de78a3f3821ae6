import StressAgent
import StressCore

/// Runs an attack until it ends by itself or a signal asks it to stop.
enum AttackRun {
    /// Runs `body` in a task group beside a signal listener. The first of
    /// SIGINT, SIGTERM or SIGHUP records its name in `stop` and cancels the
    /// attack, which then cleans up and returns its report.
    static func untilSignal<Ending: Sendable>(
        stop: StopRequest, _ body: @escaping @Sendable (StopRequest) async throws -> Ending
    ) async throws -> Ending {
        let trap = SignalTrap()
        return try await withThrowingTaskGroup(of: Ending?.self) { group in
            group.addTask { try await body(stop) }
            group.addTask {
                for await name in trap.signals {
                    stop.request(name)
                    return nil
                }
                return nil
            }
            while let result = try await group.next() {
                group.cancelAll()
                if let ending = result { return ending }
            }
            throw CancellationError()
        }
    }
}
