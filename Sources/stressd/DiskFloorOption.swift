import ArgumentParser
import StressCore

/// `--floor` of the attacks that write to a file system (`disk`, `io`):
/// the free space the guard keeps, over the config's floor for this run.
struct DiskFloorOption: ParsableArguments {
    @Option(help: ArgumentHelp("Guard: never let free space fall below this (size or %; default: the larger of 512M and 2%). With --agent: may only raise the agent's floor.", valueName: "size"))
    var floor: String?

    /// `policy` with this run's floor, if one was given.
    func apply(to policy: inout SafetyPolicy) throws(InputError) {
        if let floor {
            policy.diskFloor = try SizeOrShare(parsing: floor, field: "floor")
        }
    }
}
