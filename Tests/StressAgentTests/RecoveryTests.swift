import Foundation
import Glibc
import LinuxHost
import StressAgent
import StressCore
import TestSupport
import Testing

@Suite("Replaying the ledger never hits the wrong process", .serialized)
struct RecoveryTests {
    let procFS = ProcFS()

    @Test func aReusedPidIsNeverSignalled() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let bystander = try SpawnedSleep()
        let real = try bystander.identity
        // The record says this pid started earlier: it is now another process.
        let stale = ProcessIdentity(pid: real.pid, startTime: real.startTime - 1)
        let deadSupervisor = ProcessIdentity(pid: real.pid, startTime: real.startTime - 2)
        try environment.ledger.write(try makeRecord(
            id: "cpu-0000aaaa", bootID: environment.bootID, supervisor: deadSupervisor, workers: [stale]))

        let results = try environment.replay.undoOrphans()

        #expect(results.count == 1)
        #expect(results[0].killedWorkers.isEmpty)
        #expect(results[0].notes.contains { $0.contains("now belongs to another process") })
        usleep(100_000)
        #expect(bystander.isRunning, "the unrelated process must survive")
        #expect(try environment.ledger.records().isEmpty, "the stale record is cleared")
    }

    @Test func aRecordWhoseSpecThisVersionCannotReadIsStillUndone() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let fill = state.path.appending(".stressd-fill-disk-0000abcd").string
        try FileManager.default.createDirectory(atPath: fill, withIntermediateDirectories: false)
        try environment.ledger.write(try makeRecord(
            id: "disk-0000abcd", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 1, startTime: 0)))
        let file = URL(fileURLWithPath: environment.ledger.directory.appending("disk-0000abcd.json").string)
        var fields = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        // As another version might have written it: a kind this one does not know.
        fields["spec"] = ["kind": "gpu", "duration": "30s", "watts": "300"]
        fields["fillDirectories"] = [fill]
        try JSONSerialization.data(withJSONObject: fields).write(to: file)

        let read = try #require(try environment.ledger.records().first)
        #expect(read.spec == nil)
        let results = try environment.replay.undoOrphans()

        #expect(results.map(\.removedFiles) == [[fill]])
        #expect(!FileManager.default.fileExists(atPath: fill))
        #expect(try environment.ledger.records().isEmpty)
    }

    @Test func anUnreadableRecordDoesNotHoldTheOthersBack() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let fill = state.path.appending(".stressd-fill-disk-0000beef").string
        try FileManager.default.createDirectory(atPath: fill, withIntermediateDirectories: false)
        var record = try makeRecord(
            id: "disk-0000beef", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 1, startTime: 0))
        record.fillDirectories = [FillFolderRecord(path: fill, parent: nil, owner: nil)]
        try environment.ledger.write(record)
        let torn = environment.ledger.directory.appending("cpu-0000dead.json").string
        try Data("{ torn".utf8).write(to: URL(fileURLWithPath: torn))

        let error = try #require(throws: AgentError.self) { try environment.replay.undoOrphans() }

        #expect(error.description.contains("cpu-0000dead.json"), "the unreadable record is named: \(error)")
        #expect(error.description.contains("undid disk-0000beef first"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: fill), "the readable orphan was undone all the same")
        #expect(try environment.ledger.scan().records.isEmpty)
        #expect(FileManager.default.fileExists(atPath: torn), "what cannot be read is left for a person to inspect")
    }

    @Test func anOrphanedWorkerIsKilled() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let worker = try SpawnedSleep()
        let identity = try worker.identity
        try environment.ledger.write(try makeRecord(
            id: "cpu-0000bbbb", bootID: environment.bootID,
            supervisor: ProcessIdentity(pid: identity.pid, startTime: identity.startTime - 1), workers: [identity]))

        let results = try environment.replay.undoOrphans()

        #expect(results.map(\.killedWorkers) == [[identity.pid]])
        worker.process.waitUntilExit()
        #expect(worker.process.terminationReason == .uncaughtSignal)
        #expect(worker.process.terminationStatus == SIGKILL)
        #expect(try environment.replay.undoOrphans().isEmpty, "a second replay has nothing to do")
    }

    @Test func recordsFromAnEarlierBootNeverSignalAnything() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let bystander = try SpawnedSleep()
        let identity = try bystander.identity
        // Same pid and start time, but another boot: coincidence, not our worker.
        try environment.ledger.write(try makeRecord(
            id: "cpu-0000cccc", bootID: "another-boot", supervisor: identity, workers: [identity]))

        let results = try environment.replay.undoOrphans()

        #expect(results.count == 1)
        #expect(results[0].killedWorkers.isEmpty)
        #expect(bystander.isRunning)
        #expect(try environment.ledger.records().isEmpty)
    }

    @Test func aLiveSupervisorsAttackIsLeftAlone() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let supervisor = try SpawnedSleep()
        let worker = try SpawnedSleep()
        try environment.ledger.write(try makeRecord(
            id: "cpu-0000dddd", bootID: environment.bootID, supervisor: try supervisor.identity, workers: [try worker.identity]))

        #expect(try environment.replay.undoOrphans().isEmpty)
        #expect(try environment.replay.statuses().map(\.state) == [.running])
        #expect(worker.isRunning)
        try environment.ledger.remove(try AttackID(validating: "cpu-0000dddd"))
    }

    @Test func stopKillsASupervisorThatIgnoresSIGTERMAndUndoesItsRecord() async throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        // A "supervisor" that ignores SIGTERM and never cleans up.
        let stubborn = Process()
        stubborn.executableURL = URL(fileURLWithPath: "/bin/sh")
        stubborn.arguments = ["-c", "trap '' TERM; while :; do sleep 0.05; done"]
        try stubborn.run()
        defer { if stubborn.isRunning { kill(stubborn.processIdentifier, SIGKILL) } }
        usleep(100_000)
        let worker = try SpawnedSleep()
        let id = try AttackID(validating: "cpu-0000eeee")
        try environment.ledger.write(try makeRecord(
            id: id.rawValue, bootID: environment.bootID,
            supervisor: try procFS.processStat(stubborn.processIdentifier).identity, workers: [try worker.identity]))
        var replay = environment.replay
        replay.gracefulStopTimeout = .milliseconds(300)

        let result = try await replay.stop(id)

        #expect(result.killedWorkers == [worker.pid])
        #expect(result.errors.isEmpty)
        stubborn.waitUntilExit()
        #expect(stubborn.terminationStatus == SIGKILL)
        #expect(!environment.ledger.contains(id))
    }
}

@Suite("A record is undone only as far as stressd could have written it", .serialized)
struct ForgedRecordTests {
    @Test func aRecordedStopOfStressdItselfOrItsAncestorsIsNeverSignalled() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let me = try ProcFS().processStat(getpid()).identity
        let parent = try ProcFS().processStat(getppid()).identity
        var record = try makeRecord(id: "pause-0000f00d", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 999_999, startTime: 1))
        // SIGCONT is harmless: if the refusal were missing the test would see it as resumed, not die.
        record.stoppedProcesses = [me, parent]

        let result = environment.undo.undo(record, by: .command)

        #expect(result.resumedProcesses.isEmpty)
        #expect(result.errors.count == 2 && result.errors.allSatisfy { $0.contains("stressd itself and its ancestors") }, "\(result.errors)")
    }

    @Test func aCgroupNotNamedForTheRecordOrOutsideTheMountIsNotRemoved() throws {
        let state = try TemporaryDirectory()
        let mount = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path, cgroupFS: CgroupFS(root: mount.path))
        let elsewhere = try TemporaryDirectory()
        let misnamed = mount.path.appending("app.slice")
        mkdir(misnamed.string, 0o755)
        let outside = elsewhere.path.appending("stressd-cpu-0000f00d")
        mkdir(outside.string, 0o755)
        let climbing = mount.path.appending("../\(elsewhere.path.lastComponent!)/stressd-cpu-0000f00d")
        let record = try makeRecord(
            id: "cpu-0000f00d", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 999_999, startTime: 1),
            cgroups: [misnamed.string, outside.string, climbing.string])

        let result = environment.undo.undo(record, by: .command)

        #expect(result.removedCgroups.isEmpty)
        #expect(result.errors.count == 3, "\(result.errors)")
        #expect(Directory.exists(misnamed) && Directory.exists(outside))
    }

    @Test func aFillFolderNotNamedForTheRecordOrNotStressdsIsLeftAlone() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let parent = try TemporaryDirectory()
        let misnamed = parent.path.appending("precious")
        let foreign = parent.path.appending(".stressd-fill-disk-0000f00d")
        for folder in [misnamed, foreign] {
            mkdir(folder.string, 0o700)
            FileManager.default.createFile(atPath: folder.appending("fill-0000").string, contents: Data("keep".utf8))
        }
        chown(foreign.string, 64_123, 64_123)
        var record = try makeRecord(id: "disk-0000f00d", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 999_999, startTime: 1))
        record.fillDirectories = [misnamed, foreign].map { FillFolderRecord(path: $0.string, parent: nil, owner: nil) }

        let result = environment.undo.undo(record, by: .command)

        #expect(result.removedFiles.isEmpty)
        #expect(result.errors.contains { $0.contains("is not named for disk-0000f00d") }, "\(result.errors)")
        #expect(result.errors.contains { $0.contains("is owned by uid 64123, not by stressd") }, "\(result.errors)")
        #expect(FileManager.default.fileExists(atPath: misnamed.appending("fill-0000").string))
        #expect(FileManager.default.fileExists(atPath: foreign.appending("fill-0000").string))
    }

    @Test func aFillFolderWhoseParentWasReplacedIsLeftAlone() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let parent = try TemporaryDirectory()
        let original = parent.path.appending("data")
        mkdir(original.string, 0o755)
        let recordedParent = try OpenDirectory.open(original).identity()
        rename(original.string, parent.path.appending("data.old").string)
        mkdir(original.string, 0o755)
        let folder = original.appending(".stressd-fill-disk-0000f00d")
        mkdir(folder.string, 0o700)
        var record = try makeRecord(id: "disk-0000f00d", bootID: environment.bootID, supervisor: ProcessIdentity(pid: 999_999, startTime: 1))
        record.fillDirectories = [FillFolderRecord(path: folder.string, parent: recordedParent, owner: geteuid())]

        let result = environment.undo.undo(record, by: .command)

        #expect(result.errors.contains { $0.contains("is not the directory the fill was made in") }, "\(result.errors)")
        #expect(Directory.exists(folder))
    }
}

@Suite("Replaying a pause", .serialized)
struct PauseRecoveryTests {
    func stateOf(_ pid: Int32) -> Character? {
        (try? ProcFS().processStat(pid))?.state
    }

    @Test func aRecordedPauseIsResumedAndAStaleOneIsNot() throws {
        let state = try TemporaryDirectory()
        let environment = try AgentEnvironment.testing(state.path)
        let paused = try SpawnedSleep()
        let stranger = try SpawnedSleep()
        kill(paused.pid, SIGSTOP)
        kill(stranger.pid, SIGSTOP)
        defer { kill(stranger.pid, SIGCONT) }
        usleep(50_000)
        let real = try stranger.identity
        var record = try makeRecord(
            id: "pause-0000abcd", bootID: environment.bootID,
            supervisor: ProcessIdentity(pid: real.pid, startTime: real.startTime - 2))
        // The stranger's pid with another start time: a process stressd never paused.
        record.stoppedProcesses = [try paused.identity, ProcessIdentity(pid: real.pid, startTime: real.startTime - 1)]
        try environment.ledger.write(record)

        let results = try environment.replay.undoOrphans()

        #expect(results.first?.resumedProcesses == [paused.pid])
        usleep(50_000)
        #expect(stateOf(paused.pid) == "S")
        #expect(stateOf(stranger.pid) == "T", "a stale record never signals the process that has the pid now")
        #expect(try environment.ledger.records().isEmpty)
    }
}
