import Foundation
import LinuxHost
import Logging
import StressAgent
import StressCore
import Synchronization
import SystemPackage
import TestSupport
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
    func withAgent(_ state: TemporaryDirectory, log: CapturedLog? = nil, _ body: (Agent) async throws -> Void) async throws {
        let environment = try AgentEnvironment.testing(state.path)
        let agent = log.map { Agent(environment: environment, logger: $0.logger) } ?? Agent(environment: environment)
        try await agent.running { try await body(agent) }
    }

    func fillFolders(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".stressd-fill-") }
    }

    /// Starts a fill of `target` on an agent whose service body is over:
    /// it must be refused as shutting down, with nothing running or written.
    /// Returns the refusal, nil (recorded as an issue) when there was none.
    func expectRefusedAsShuttingDown(_ agent: Agent, filling target: String) async throws -> AgentError? {
        let spec = try fill(target)
        var refusal: AgentError?
        do {
            let id = try await agent.start(spec)
            Issue.record("started \(id) with no service body to run it")
        } catch {
            if case .shuttingDown = error { refusal = error } else { Issue.record("refused as shutting down, not: \(error)") }
        }
        #expect(await agent.runningAttacks().isEmpty)
        #expect(fillFolders(target).isEmpty)
        return refusal
    }

    @Test(.enabled(if: DiskTestMount.isAvailable, "needs root and a tmpfs: one fill per file system"))
    func runsAttacksSideBySideAndStopsOneOnRequest() async throws {
        let state = try TemporaryDirectory()
        let first = try folder(state, "a")
        // tmpfs allocates only what is written: 1 GiB clears the default floor.
        let other = try DiskTestMount(.tmpfs(mebibytes: 1024))
        let second = other.path.string
        try await withAgent(state) { agent in
            let one = try await agent.start(try fill(first))
            let two = try await agent.start(try fill(second))
            // Both fills begin on the agent's own tasks: wait for their folders, up to 5 s on a busy machine.
            let deadline = ContinuousClock.now + .seconds(5)
            while fillFolders(first).isEmpty || fillFolders(second).isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await agent.runningAttacks().count == 2)
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

    /// On a manual clock (issue 15): time moves when the test says, so the
    /// lease's edges are checked exactly, with no sleeping.
    @Test func anExpiredLeaseStopsTheAttack() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "lease")
        let clock = ManualClock()
        let agent = Agent(environment: try .testing(state.path), clock: clock.agentClock)
        try await agent.running {
            let renewed = try await agent.start(try fill(directory), lease: .milliseconds(400))
            for _ in 0..<6 {
                clock.advance(by: .milliseconds(300))
                await clock.waitForSleepers()
                try await agent.renewLease(renewed)
            }
            #expect(try await agent.attack(renewed).state == .running, "renewed within each 400 ms, still running 1.8 s on")
            #expect(try await agent.stop(renewed, reason: "done").outcome == .stopped(reason: "done"))

            let other = try folder(state, "lease2")
            let forgotten = try await agent.start(try fill(other), lease: .milliseconds(300))
            clock.advance(by: .milliseconds(200))
            await clock.waitForSleepers()
            #expect(try await agent.attack(forgotten).state == .running, "200 ms into a 300 ms lease")
            #expect(try await agent.attack(forgotten).leaseSecondsLeft == 0.1)
            clock.advance(by: .milliseconds(100))
            // The stop and its cleanup take real time; only the cap is wall time.
            let cap = ContinuousClock.now + .seconds(10)
            while try await agent.attack(forgotten).state == .running, ContinuousClock.now < cap {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(try await agent.attack(forgotten).report?.outcome == .stopped(reason: "lease expired"))
            #expect(fillFolders(other).isEmpty)
        }
    }

    /// Issue 17: an agent on thousands of hosts costs nothing while it
    /// waits. Its loop sleeps on the clock only for the watchdog's
    /// heartbeat and for leases that are due, never on a fixed tick.
    @Test func anIdleAgentWakesOnlyForItsHeartbeatAndItsLeases() async throws {
        let state = try TemporaryDirectory()
        let clock = ManualClock()
        let beats = Atomic(0)
        let agent = Agent(environment: try .testing(state.path), clock: clock.agentClock)
        try await agent.running(heartbeat: Heartbeat(interval: .seconds(10)) { beats.add(1, ordering: .relaxed) }) {
            await clock.waitForSleepers()
            #expect(clock.wakes == [.seconds(10)], "idle: the one wake is the next heartbeat")
            #expect(beats.load(ordering: .relaxed) == 1)
            clock.advance(by: .seconds(10))
            try await Task.sleep(for: .milliseconds(50))
            await clock.waitForSleepers()
            #expect(clock.wakes == [.seconds(20)])
            #expect(beats.load(ordering: .relaxed) == 2)

            let leased = try await agent.start(try fill(try folder(state, "leased"), seconds: 60), lease: .seconds(3))
            try await waitUntil { clock.wakes.contains(.seconds(13)) }
            #expect(clock.wakes.contains(.seconds(13)), "the lease's deadline, 3 s after its start at 10 s")
            clock.advance(by: .seconds(2))
            try await agent.renewLease(leased)
            try await waitUntil { clock.wakes.contains(.seconds(15)) }
            #expect(clock.wakes.contains(.seconds(15)) && !clock.wakes.contains(.seconds(13)), "a renewal moves the wake: \(clock.wakes)")
            _ = try await agent.stop(leased, reason: "done")
            #expect(beats.load(ordering: .relaxed) >= 2)
        }
        let idle = Agent(environment: try .testing(state.path), clock: clock.agentClock)
        try await idle.running {
            try await Task.sleep(for: .milliseconds(100))
            #expect(clock.wakes.isEmpty, "without a watchdog or a lease, nothing is scheduled at all")
        }
    }

    /// Polls `condition` in real time for up to 5 s: the agent's loop acts
    /// on a ring on its own task.
    func waitUntil(_ condition: () -> Bool) async throws {
        let cap = ContinuousClock.now + .seconds(5)
        while !condition(), ContinuousClock.now < cap {
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func conflictsAndBadSpecsAreRefusedBeforeAnythingStarts() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "c")
        try await withAgent(state) { agent in
            _ = try await agent.start(try fill(directory))
            // Another path to the same file system is the same disk.
            for samePlace in [directory, directory + "/.", try folder(state, "next-to-c")] {
                let error = await #expect(throws: AgentError.self) { try await agent.start(try fill(samePlace)) }
                guard case .conflict(let message)? = error else { Issue.record("\(samePlace): \(String(describing: error))"); continue }
                #expect(message.contains("is already writing to the file system of \(samePlace)"), "\(message)")
            }
            // An I/O load writes its working set there too: one writer per file system.
            let load = try AttackSpec(kind: .io, parameters: FlatParameters(["path": directory, "size": "1M", "duration": "5s"]))
            let busy = await #expect(throws: AgentError.self) { try await agent.start(load) }
            guard case .conflict(let message)? = busy else { Issue.record("io: \(String(describing: busy))"); return }
            #expect(message.contains("(disk) is already writing to the file system of \(directory)"), "\(message)")
            let missing = try AttackSpec(kind: .disk, parameters: FlatParameters(["path": "/nonexistent/x", "size": "1M", "duration": "5s"]))
            let error = await #expect(throws: AgentError.self) { try await agent.start(missing) }
            guard case .input? = error else { Issue.record("a bad path is input (422): \(String(describing: error))"); return }
            await #expect(throws: AgentError.self) { try await agent.stop(try AttackID(validating: "disk-00000000")) }
            #expect(await agent.summaries().count == 1)
        }
    }

    @Test func renamingARunningFillsPathDoesNotLetASecondFillOnTheSameDisk() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "renamed")
        try await withAgent(state) { agent in
            _ = try await agent.start(try fill(directory))
            rename(directory, directory + "-moved")
            let error = await #expect(throws: AgentError.self) { try await agent.start(try fill(try folder(state, "sibling"))) }
            guard case .conflict? = error else { Issue.record("\(String(describing: error))"); return }
        }
    }

    @Test func processAttacksAreCheckedBeforeTheyStart() async throws {
        let state = try TemporaryDirectory()
        try await withAgent(state) { agent in
            let nobody = FlatParameters(["name": "no-such-proc-x", "duration": "1s"])
            let error = await #expect(throws: AgentError.self) { try await agent.start(try AttackSpec(kind: .kill, parameters: nobody)) }
            guard case .noMatch? = error else { Issue.record("no match is refused (422): \(String(describing: error))"); return }
            #expect(await agent.summaries().isEmpty, "nothing started")
            var allowed = nobody
            allowed["allow-none"] = "true"
            let id = try await agent.start(try AttackSpec(kind: .pause, parameters: allowed))
            #expect(try await agent.stop(id).processes?.hits.isEmpty == true)
        }
    }

    @Test func onlyTheNewestFinishedAttacksAreKeptInMemory() async throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let agent = Agent(environment: environment, finishedKept: 2)
        try await agent.running {
            let nothing = FlatParameters(["name": "no-such-proc-x", "duration": "1s", "allow-none": "true"])
            var ids: [AttackID] = []
            for _ in 0..<3 {
                let id = try await agent.start(try AttackSpec(kind: .pause, parameters: nothing))
                _ = try await agent.stop(id)
                ids.append(id)
            }
            #expect(await Set(agent.summaries().map(\.id)) == Set(ids.dropFirst()))
            await #expect(throws: AgentError.self) { try await agent.attack(ids[0]) }
        }
    }

    @Test func aStricterFloorInTheRequestGuardsThatAttack() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "guarded")
        let log = CapturedLog()
        try await withAgent(state, log: log) { agent in
            // 100 MiB under what is free now: far above the agent's own floor.
            let available = try DiskCapacity(path: FilePath(directory)).availableBytes
            let floor = StricterPolicy(floor: .bytes(ByteCount(bytes: available - (100 << 20))))
            let id = try await agent.start(try fill(directory, seconds: 20), stricter: floor)
            let started = try #require(log.entries("attack started").first)
            #expect(started.metadata["stricter-policy"] == "floor=\(available - (100 << 20))")
            let deadline = ContinuousClock.now + .seconds(5)
            while fillFolders(directory).isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            // Another writer takes 200 MiB: below this attack's floor, not the agent's.
            let ballast = Process()
            ballast.executableURL = URL(fileURLWithPath: "/usr/bin/fallocate")
            ballast.arguments = ["-l", "200M", directory + "/ballast"]
            try ballast.run()
            ballast.waitUntilExit()
            var report: AttackReport?
            while report == nil, ContinuousClock.now < deadline + .seconds(5) {
                report = try await agent.attack(id).report
                try await Task.sleep(for: .milliseconds(50))
            }
            let ended = try #require(report, "the guard stops the attack")
            guard case .guardTripped(let name, _) = ended.outcome else {
                Issue.record("expected the disk guard to trip: \(ended.outcome)")
                return
            }
            #expect(name == "disk-floor")
            #expect(ended.cleanup.isClean)
            #expect(fillFolders(directory).isEmpty)
        }
    }

    @Test func anEndedAttackIsAConflictNotAStranger() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "e")
        try await withAgent(state) { agent in
            let id = try await agent.start(try fill(directory), lease: .seconds(30))
            _ = try await agent.stop(id)
            let error = await #expect(throws: AgentError.self) { try await agent.renewLease(id) }
            guard case .conflict(let message)? = error else { Issue.record("renewing an ended attack is 409: \(String(describing: error))"); return }
            #expect(message.contains("already ended"))
            let unknown = await #expect(throws: AgentError.self) { try await agent.renewLease(try AttackID(validating: "disk-00000000")) }
            guard case .unknownAttack? = unknown else { Issue.record("a stranger is 404: \(String(describing: unknown))"); return }
        }
    }

    /// A finished attack's report is read back from the state directory
    /// when asked for, not held in memory (up to ~200 KB each); its line of
    /// the list stays until `finishedKept` lets it go.
    @Test func aFinishedAttacksReportIsReadBackFromTheStateDirectory() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "kept")
        try await withAgent(state) { agent in
            let id = try await agent.start(try fill(directory))
            #expect(try await agent.stop(id, reason: "test says stop").outcome == .stopped(reason: "test says stop"))
            let saved = ReportStore(stateDirectory: state.path).path(of: id).string
            var onDisk = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: saved))) as? [String: Any])
            onDisk["outcome"] = ["status": "stopped", "reason": "edited on disk"]
            try JSONSerialization.data(withJSONObject: onDisk).write(to: URL(fileURLWithPath: saved))
            #expect(try await agent.attack(id).report?.outcome == .stopped(reason: "edited on disk"))
            #expect(try await agent.stop(id).outcome == .stopped(reason: "edited on disk"))

            try FileManager.default.removeItem(atPath: saved)
            let error = await #expect(throws: AgentError.self) { try await agent.attack(id) }
            guard case .unknownReport? = error else { Issue.record("a report let go is 404: \(String(describing: error))"); return }
            #expect(await agent.summaries().map(\.id) == [id], "still listed, with how it ended")
            #expect(await agent.summaries().first?.outcome == .stopped(reason: "test says stop"))
        }
    }

    @Test func aReportThatCannotBeSavedIsStillServedAndTheLogSaysSo() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "unsaved")
        // A file where the reports folder should be: saving fails.
        FileManager.default.createFile(atPath: state.path.appending("reports").string, contents: Data())
        let log = CapturedLog()
        try await withAgent(state, log: log) { agent in
            let id = try await agent.start(try fill(directory))
            let report = try await agent.stop(id, reason: "test says stop")
            #expect(report.cleanup.isClean)
            #expect(try await agent.attack(id).report?.id == id, "still served from memory")

            let warning = try #require(log.entries("report not saved; it is lost when the agent stops").first)
            #expect(warning.level == .warning)
            #expect(warning.metadata["attack-id"] == "\(id.rawValue)")
            #expect(warning.metadata["reason"]?.contains("reports") == true, "names what failed: \(warning.metadata)")
        }
    }

    @Test func startsEndsAndRefusalsAreLoggedWithTheAttacksIdAndKind() async throws {
        let state = try TemporaryDirectory()
        let directory = try folder(state, "logged")
        let log = CapturedLog()
        var id: AttackID?
        try await withAgent(state, log: log) { agent in
            id = try await agent.start(try fill(directory), lease: .seconds(30))
            await #expect(throws: AgentError.self) { try await agent.start(try fill(directory)) }
            _ = try await agent.stop(try #require(id), reason: "test says stop")
        }
        let attack = try #require(id).rawValue

        let started = try #require(log.entries("attack started").first)
        #expect(started.level == .info)
        #expect(started.metadata["attack-id"] == attack)
        #expect(started.metadata["attack-kind"] == "disk")
        #expect(started.metadata["duration"] == "10s")
        #expect(started.metadata["lease"] == "30s")
        #expect(started.metadata["parameters"] == "path=\(directory) size=4194304")
        #expect(started.metadata["stricter-policy"] == nil, "only named when the request asked for one")

        let refused = try #require(log.entries("attack refused").first)
        #expect(refused.level == .warning)
        #expect(refused.metadata["refusal"] == "conflict")
        #expect(refused.metadata["reason"]?.contains(attack) == true, "the refusal names the attack in the way")

        let ended = try #require(log.entries("attack ended").first)
        #expect(ended.level == .info)
        #expect(ended.metadata["attack-id"] == attack)
        #expect(ended.metadata["attack-kind"] == "disk")
        #expect(ended.metadata["outcome"] == "stopped")
        #expect(ended.metadata["reason"] == "test says stop")
        #expect(ended.metadata["cleanup"] == "verified")
        #expect(ended.metadata["leftovers"] == nil)
        #expect(log.all.map(\.message).filter { $0.hasPrefix("attack ") } == ["attack started", "attack refused", "attack ended"])
    }

    @Test func theServiceIsToldHowManyAttacksRunEachTimeOneStartsOrEnds() async throws {
        let state = try TemporaryDirectory()
        let told = Mutex<[Int]>([])
        let agent = Agent(environment: try AgentEnvironment.testing(state.path), runningChanged: { count in told.withLock { $0.append(count) } })
        try await agent.running {
            // One fill per file system at a time: one after the other.
            _ = try await agent.stop(try await agent.start(try fill(try folder(state, "one"))))
            _ = try await agent.stop(try await agent.start(try fill(try folder(state, "two"))))
        }
        #expect(told.withLock { $0 } == [1, 0, 1, 0])
    }

    @Test func anExpiredLeaseIsLoggedOnceAndTheHaltToo() async throws {
        let state = try TemporaryDirectory()
        let log = CapturedLog()
        try await withAgent(state, log: log) { agent in
            let forgotten = try await agent.start(try fill(try folder(state, "lease")), lease: .milliseconds(200))
            while try await agent.attack(forgotten).state == .running {
                try await Task.sleep(for: .milliseconds(20))
            }
            let expired = log.entries("lease expired; stopping the attack")
            #expect(expired.count == 1, "one line, however long the stop takes")
            #expect(expired.first?.metadata["attack-id"] == forgotten.rawValue)
            #expect(expired.first?.metadata["lease"] == "200ms")
            #expect(log.entries("attack ended").first?.metadata["reason"] == "lease expired")

            _ = try await agent.start(try fill(try folder(state, "halted")))
            _ = await agent.haltAll()
            let halt = try #require(log.entries("halting every attack").first)
            #expect(halt.level == .notice)
            #expect(halt.metadata["attacks"] == "1")
            #expect(halt.metadata["reason"] == "halted through the API")
            #expect(log.entries("attack ended").last?.metadata["reason"] == "halted through the API")
        }
    }

    /// An attack admitted once the service body has stopped taking launches
    /// would never run, and a stop of it would wait forever: it is refused.
    @Test func refusesToStartOnceItsServiceBodyHasEnded() async throws {
        let state = try TemporaryDirectory()
        let target = try folder(state, "a")
        let environment = try AgentEnvironment.testing(state.path)
        let log = CapturedLog()
        let agent = Agent(environment: environment, logger: log.logger)
        try await agent.running {}

        let refusal = try await expectRefusedAsShuttingDown(agent, filling: target)
        #expect(refusal?.description.contains("start the attack again once it is back") == true)
        #expect(await agent.summaries().isEmpty)
        #expect(try environment.ledger.records().isEmpty)
        #expect(log.entries("attack refused").first?.metadata["refusal"] == "shutting-down")
    }

    /// A service body that failed before it ran anything (its ledger
    /// replay) takes no launches either.
    @Test func refusesToStartOnceItsServiceBodyHasFailed() async throws {
        let state = try TemporaryDirectory()
        let target = try folder(state, "a")
        let environment = try AgentEnvironment.testing(state.path)
        let torn = environment.ledger.directory.appending("cpu-0000dead.json").string
        try Data("{ torn".utf8).write(to: URL(fileURLWithPath: torn))
        let agent = Agent(environment: environment)
        await #expect(throws: AgentError.self, "the replay fails on the unreadable record") { try await agent.run() }

        _ = try await expectRefusedAsShuttingDown(agent, filling: target)
    }

    @Test func recoveryHappensBeforeReadyAndIsReported() async throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let orphan = try makeRecord(
            id: "disk-0000f00d", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 1, startTime: 0))
        try environment.ledger.write(orphan)
        let log = CapturedLog()
        let agent = Agent(environment: environment, logger: log.logger)
        let readySeen = ReadyFlag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await agent.run { readySeen.set(environment.ledger.contains(orphan.id)) }
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(readySeen.value == false, "READY came only after the orphan was undone")
            #expect(try await agent.attack(orphan.id).state == .recovered)
            let undone = try #require(log.entries("undid an attack an earlier run left behind").first)
            #expect(undone.metadata["attack-id"] == "disk-0000f00d")
            #expect(undone.metadata["attack-kind"] == "disk")
            #expect(log.entries("ledger replayed").first?.metadata["recovered"] == "1")
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
