import ArgumentParser
import StressAgent

/// `stressd cleanup`: undo everything the ledger records. Idempotent and
/// safe at any time; `ExecStopPost=` in the unit runs it.
struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Undo everything recorded in the ledger: stop running attacks, undo left-over ones.",
        discussion: "Safe to run any time and as often as you like; a second run says there is nothing to undo.")

    @Flag(help: "Print what was undone as JSON.")
    var json = false

    @OptionGroup var state: StateOptions

    func run() async throws {
        let results = try await state.environment(try state.config()).replay.cleanup()
        try UndoOutput(json: json).emit(results, nothingMessage: "nothing to undo")
    }
}
