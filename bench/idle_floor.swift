// The least a Swift service can do while it waits (bench/idle_agent.py):
// the concurrency runtime started (one task slept once), then nothing but
// an await that never resumes. Built as stressd is: -O, static stdlib.
@main
struct IdleFloor {
    static func main() async {
        try? await Task.sleep(for: .milliseconds(10))
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
    }
}
