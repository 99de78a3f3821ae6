import Glibc
import StressFuzzing

/// Which target a run of `stressd-fuzz` feeds: named by the first argument
/// (`stressd-fuzz duration ...`), or by `STRESSD_FUZZ_TARGET`, which the
/// first argument sets so that the processes libFuzzer forks for `-jobs` and
/// `-fork` (started with the arguments it kept, not ours) feed the same one.
enum TargetChoice {
    static let environmentKey = "STRESSD_FUZZ_TARGET"
    static let usage = "usage: stressd-fuzz TARGET [libFuzzer options] [CORPUS_DIR...] | stressd-fuzz --list"

    /// The target, and whether the first argument named it; exits with a
    /// usage message when nothing names one.
    static func choose(_ arguments: [String]) -> (target: FuzzTarget, fromArgument: Bool) {
        if arguments.count >= 2, arguments[1] == "--list" {
            for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
            exit(0)
        }
        if arguments.count >= 2, let target = FuzzTarget.named(arguments[1]) {
            setenv(environmentKey, target.name, 1)
            return (target, true)
        }
        if let name = getenv(environmentKey).map({ String(cString: $0) }), let target = FuzzTarget.named(name) {
            return (target, false)
        }
        print(arguments.count >= 2 ? "stressd-fuzz: no target '\(arguments[1])'; `stressd-fuzz --list` names them" : usage)
        exit(2)
    }
}
