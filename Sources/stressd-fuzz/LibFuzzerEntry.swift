#if FUZZING
import Glibc
import StressFuzzing

// libFuzzer's own main runs these (`make fuzz` links with -sanitize=fuzzer).

/// The target feeding this run: chosen once, before the first input.
nonisolated(unsafe) private var selected: FuzzTarget?

/// Called by libFuzzer before it reads its flags: takes the target's name out
/// of the command line, so libFuzzer sees only its own options and corpora.
@_cdecl("LLVMFuzzerInitialize")
func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> CInt {
    let arguments = (0..<Int(argc.pointee)).map { String(cString: argv.pointee[$0]!) }
    let (target, fromArgument) = TargetChoice.choose(arguments)
    selected = target
    if fromArgument {
        for index in 1..<Int(argc.pointee) { argv.pointee[index] = argv.pointee[index + 1] }
        argc.pointee -= 1
    }
    return 0
}

/// One input; a thrown violation aborts, which libFuzzer reports as a crash
/// and saves as `crash-<sha1>`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        try selected?.run(Array(UnsafeBufferPointer(start: data, count: size)))
    } catch {
        print("stressd-fuzz \(selected?.name ?? ""): \(error)")
        fflush(nil)  // stdout's buffer would die with the abort
        abort()
    }
    return 0
}
#endif
