import Foundation
import LinuxHost
import StressAgent
import StressCore
import Synchronization
import Testing

/// The service's attack manager, driven as the API will drive it. Disk
/// fills of a few MiB in temp folders: attacks that need no worker binary.
@Suite("Agent: many attacks, stops, leases", .serialized)
struct AgentTests {
    func fill(_ directory: String, seconds: Int = 10) throws -> AttackSpec {
        try AttackSpec(kind: .disk, parameters: FlatParameters(["path": directory, "size": "4M", "duration": "\(seconds)s"]))
    }

    func folder(_ state: TemporaryDirectory, _ name: String) throws -> String {
        let path = state.path.appending(name).string
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs the agent's service body beside `body`, then shuts it down.
    func withAgent(_ state: TemporaryDirectory, _ body: (Agent) async throws -> Void) async throws {
        let agent = Agent(environment: try AgentEnvironment(stateDirectory: state.path, workerExecutable: "/bin/false"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await agent.run() }
            try await body(agent)
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    func fillFolders(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".stressd-fill-") }
    }

    @Test func runsAttacksSideBySideAndStopsOneOnRequest() async throws {
        let state = try TemporaryDirectory()
        let first = try folder(state, "a")
        let second = try folder(state, "b")
        try await withAgent(state) { agent in
            let one = try await agent.start(try fill(first))
            let two = try await agent.start(try fill(second))
            try await Task.sleep(for: .milliseconds(300))
            #expect(await agent.attacks().filter { $0.state == .running }.count == 2)
            #expect(fillFolders(first).count == 1 && fillFolders(second).count == 1)

            let report = try await agent.stop(one, reason: "test says stop")

            #expect(report.outcome == .stopped(reason: "test says stop"))
            #expect(report.cleanup.isClean)
            #expect(fillFolders(first).isEmpty)
            #expect(try await agent.attack(two).state == .running)
            #expect(try await agent.attack(one).state == .finished)
        }
        #expect(fillFolders(second).isEmpty, "shutting the agent down stops and cleans up what still runs")
        let ledger = try Ledger(stateDirectory: state.path)
        #expect(try ledger.records().isEmpty)
    }

    @Test func anExpiredLeaseStopsTheAttack() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "lease")
        try await withAgent(state) { agent in
            let renewed = try await agent.start(try fill(directory), lease: .milliseconds(400))
            for _ in 0..<6 {
                try await Task.sleep(for: .milliseconds(200))
                try await agent.renewLease(renewed)
            }
            #expect(try await agent.attack(renewed).state == .running, "renewed in time, still running after 1.2 s")

            #expect(try await agent.stop(renewed, reason: "done").outcome == .stopped(reason: "done"))

            let other = try folder(state, "lease2")
            let forgotten = try await agent.start(try fill(other), lease: .milliseconds(300))
            let started = ContinuousClock.now
            while try await agent.attack(forgotten).state == .running, ContinuousClock.now - started < .seconds(3) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(ContinuousClock.now - started < .seconds(1), "a 300 ms lease ends the attack well within a second")
            let outcome = try await agent.attack(forgotten).report?.outcome
            #expect(outcome == .stopped(reason: "lease expired"))
            #expect(fillFolders(other).isEmpty)
        }
    }

    @Test func conflictsAndBadSpecsAreRefusedBeforeAnythingStarts() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "c")
        try await withAgent(state) { agent in
            _ = try await agent.start(try fill(directory))
            await #expect(throws: AgentError.self) { try await agent.start(try fill(directory)) }
            let missing = try AttackSpec(kind: .disk, parameters: FlatParameters(["path": "/nonexistent/x", "size": "1M", "duration": "5s"]))
            let error = await #expect(throws: AgentError.self) { try await agent.start(missing) }
            guard case .input? = error else { Issue.record("a bad path is input (422): \(String(describing: error))"); return }
            await #expect(throws: AgentError.self) { try await agent.stop(try AttackID(validating: "disk-00000000")) }
            #expect(await agent.attacks().count == 1)
        }
    }

    @Test func recoveryHappensBeforeReadyAndIsReported() async throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment(stateDirectory: state.path, workerExecutable: "/bin/false")
        let orphan = try makeRecord(
            id: "disk-0000f00d", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 1, startTime: 0))
        try environment.ledger.write(orphan)
        let agent = Agent(environment: environment)
        let readySeen = ReadyFlag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await agent.run { readySeen.set(environment.ledger.contains(orphan.id)) }
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(readySeen.value == false, "READY came only after the orphan was undone")
            #expect(try await agent.attack(orphan.id).state == .recovered)
            group.cancelAll()
        }
    }
}

/// Records what the ready callback saw.
final class ReadyFlag: Sendable {
    private let seen = Mutex<Bool?>(nil)
    func set(_ value: Bool) { seen.withLock { $0 = value } }
    var value: Bool? { seen.withLock { $0 } }
}
