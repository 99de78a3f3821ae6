import StressAgent
import StressClient
import StressCore

/// An attack that runs on a remote agent and is watched from here, with
/// the output of a local one. The CLI holds a lease and renews it every
/// second: if this process dies or the network goes, the agent stops the
/// attack within `lease` on its own.
struct RemoteAttack {
    static let lease: Duration = .seconds(10)
    static let pollInterval: Duration = .seconds(1)

    let client: AgentClient
    let terminal = Terminal()

    /// Starts the attack, shows its progress, stops it on SIGINT, SIGTERM
    /// or SIGHUP, and returns its report once the agent has cleaned up.
    func run(kind: AttackKind, parameters: FlatParameters, abortConditions: [AbortCondition]) async throws -> AttackReport {
        var flat = parameters
        flat["kind"] = kind.rawValue
        let started = try await client.start(flat, abortConditions: abortConditions, lease: Self.lease)
        let duration = started.spec?.duration ?? .zero
        terminal.note("\(started.id) on \(client.endpoint): \(parameters); Ctrl-C stops it")
        let clock = ContinuousClock()
        let began = clock.now
        let report = try await AttackRun.untilSignal(stop: StopRequest()) { stop in
            while true {
                await stop.sleep(for: Self.pollInterval, on: .monotonic)
                if stop.requestedReason != nil {
                    // The signal cancelled this task; the stop request must still go out.
                    let client = client
                    return try await Task { try await client.stop(started.id) }.value
                }
                let attack = try await client.attack(started.id)
                if attack.state != .running, let report = attack.report { return report }
                // The attack may end between the two requests; the next round sees it.
                _ = try? await client.renewLease(started.id)
                let elapsed = (clock.now - began).seconds
                terminal.progress(AttackProgress(
                    elapsed: elapsed, remaining: max(.zero, duration - .seconds(elapsed)), line: attack.progress ?? ""))
            }
        }
        terminal.endProgress()
        return report
    }
}
