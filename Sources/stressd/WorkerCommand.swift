import ArgumentParser
import StressAgent

/// `stressd worker …`: the hidden subcommand a supervisor re-executes to do
/// an attack's work in a process of its own. Not for people.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Internal: the process that does an attack's work.",
        shouldDisplay: false,
        subcommands: [CPUWorkerCommand.self, MemoryWorkerCommand.self]
    )
}

struct CPUWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cpu", shouldDisplay: false)

    @Option var load: Double
    /// CLOCK_MONOTONIC nanoseconds.
    @Option var deadline: UInt64
    @Option var parent: Int32

    func run() throws {
        let status = CPUWorker(initialLoad: load, deadline: deadline, parent: parent).run()
        throw ExitCode(status)
    }
}

struct MemoryWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mem", shouldDisplay: false)

    @Option var bytes: UInt64
    @Option var rate: UInt64?
    @Flag var lock = false
    /// CLOCK_MONOTONIC nanoseconds.
    @Option var deadline: UInt64
    @Option var parent: Int32

    func run() throws {
        let status = MemoryWorker(bytes: bytes, ratePerSecond: rate, lock: lock, deadline: deadline, parent: parent).run()
        throw ExitCode(status)
    }
}
