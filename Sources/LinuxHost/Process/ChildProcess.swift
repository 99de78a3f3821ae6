import CLinux
import Glibc
import SystemPackage

/// A process this one spawned: started with `posix_spawn` from the spawn
/// thread, in a process group of its own (so a terminal's Ctrl-C reaches the
/// supervisor, which then stops its workers in order), with default signal
/// dispositions and an empty signal mask.
public struct ChildProcess: Sendable {
    public let pid: Int32

    /// How a child ended, from waitpid(2).
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        case exited(code: Int32)
        case signaled(signal: Int32)

        public var description: String {
            switch self {
            case .exited(let code): return "exited with status \(code)"
            case .signaled(let signal): return "killed by signal \(signal)"
            }
        }
    }

    /// Spawns `executable` with `arguments` (argv[1...]); `standardInput`
    /// and `standardOutput`, if given, become the child's fd 0 and 1 (else
    /// they are shared, as fd 2 is), `passing` becomes its fd 3, and every
    /// other descriptor is closed in the child, close-on-exec or not.
    /// With `newSession`, the child leads a session of its own instead of a
    /// process group: no terminal's hangup or Ctrl-C reaches it.
    public static func spawn(
        executable: String, arguments: [String], standardInput: Int32? = nil, standardOutput: Int32? = nil,
        passing descriptor: Int32? = nil, newSession: Bool = false
    ) async throws(HostError) -> ChildProcess {
        let descriptors = ChildDescriptors(standardInput: standardInput, standardOutput: standardOutput, passed: descriptor)
        let result = await SpawnThread.shared.run {
            spawnNow(executable: executable, arguments: arguments, descriptors: descriptors, newSession: newSession)
        }
        switch result {
        case .success(let pid): return ChildProcess(pid: pid)
        case .failure(let error): throw error
        }
    }

    /// The descriptors a child gets besides fd 2.
    private struct ChildDescriptors: Sendable {
        var standardInput: Int32?
        var standardOutput: Int32?
        /// Becomes fd 3 (a worker's open directory, say).
        var passed: Int32?
    }

    private static func spawnNow(
        executable: String, arguments: [String], descriptors: ChildDescriptors, newSession: Bool
    ) -> Result<Int32, HostError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput = descriptors.standardInput {
            posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        }
        if let standardOutput = descriptors.standardOutput {
            posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        }
        if let passed = descriptors.passed {
            posix_spawn_file_actions_adddup2(&actions, passed, 3)
        }
        stressd_spawn_close_from(&actions, descriptors.passed == nil ? 3 : 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        let grouping = newSession ? Int32(STRESSD_POSIX_SPAWN_SETSID) : POSIX_SPAWN_SETPGROUP
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | grouping))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = argv.withUnsafeBufferPointer { buffer in
            posix_spawn(&pid, executable, &actions, &attributes, buffer.baseAddress!, environ)
        }
        guard status == 0 else {
            return .failure(.system(call: "posix_spawn", path: executable, errno: Errno(rawValue: status)))
        }
        return .success(pid)
    }

    /// Reaps the child if it has exited; nil while it runs.
    public func reapIfExited() -> Termination? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return Self.termination(status)
    }

    /// Waits for the child to exit and reaps it.
    /// - Important: blocks the calling thread.
    public func reap() -> Termination? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid { return Self.termination(status) }
            if result < 0 && Glibc.errno != EINTR { return nil }
        }
    }

    private static func termination(_ status: Int32) -> Termination {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let signal = status & 0x7f
        return signal == 0 ? .exited(code: (status >> 8) & 0xff) : .signaled(signal: signal)
    }
}
