#if !FUZZING
import Glibc
import StressFuzzing

/// `stressd-fuzz TARGET FILE...` in a build without libFuzzer: replays
/// inputs (a finding, a corpus) through a target, which turns a finding into
/// a Swift backtrace in a debug build. `make fuzz` builds the other entry
/// (LibFuzzerEntry.swift), where libFuzzer owns main.
@main
enum StressdFuzz {
    static func main() {
        let (target, _) = TargetChoice.choose(CommandLine.arguments)
        var failures: CInt = 0
        for path in CommandLine.arguments.dropFirst(2) {
            guard let input = read(path) else {
                print("stressd-fuzz: cannot read \(path)")
                exit(2)
            }
            do {
                try target.run(input)
            } catch {
                print("\(path): \(error)")
                failures += 1
            }
        }
        exit(failures == 0 ? 0 : 1)
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var input: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let count = fread(&buffer, 1, buffer.count, file), count > 0 { input += buffer[..<count] }
        return input
    }
}
#endif
