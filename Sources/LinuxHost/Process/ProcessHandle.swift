import CLinux
import Glibc
import StressCore
import SystemPackage

/// A process pinned by a pidfd and checked against its recorded identity, so
/// that no signal sent through it can reach a process that merely reuses the
/// pid. Opening fails softly: `nil` means the recorded process is gone.
public final class ProcessHandle {
    public let identity: ProcessIdentity
    private let pidfd: Int32

    /// What opening a handle found.
    public enum Lookup {
        case alive(ProcessHandle)
        /// No process has that pid any more, or it has exited and only waits
        /// to be reaped by its parent (a zombie holds no resources and
        /// cannot be signalled).
        case gone
        /// The pid belongs to another process now (its start time differs).
        case reused(currentStartTime: UInt64)
    }

    private init(identity: ProcessIdentity, pidfd: Int32) {
        self.identity = identity
        self.pidfd = pidfd
    }

    deinit {
        close(pidfd)
    }

    /// Pins the pid first, then checks the start time: if it matches now, the
    /// pidfd refers to the recorded process (it existed before the pidfd was
    /// opened, so no newer process can have taken its pid in between).
    public static func open(_ identity: ProcessIdentity, procFS: ProcFS = ProcFS()) throws(HostError) -> Lookup {
        let fd = stressd_pidfd_open(identity.pid)
        if fd < 0 {
            let error = Errno(rawValue: Glibc.errno)
            if error == .noSuchProcess { return .gone }
            throw .system(call: "pidfd_open", path: nil, errno: error)
        }
        let stat: ProcessStat
        do {
            stat = try procFS.processStat(identity.pid)
        } catch {
            close(fd)
            if error.errno == .noSuchFileOrDirectory || error.errno == .noSuchProcess { return .gone }
            throw error
        }
        guard stat.startTime == identity.startTime else {
            close(fd)
            return .reused(currentStartTime: stat.startTime)
        }
        if stat.hasExited {
            close(fd)
            return .gone
        }
        return .alive(ProcessHandle(identity: identity, pidfd: fd))
    }

    /// Sends `signal`. Returns false if the process has already exited.
    @discardableResult
    public func send(_ signal: Int32) throws(HostError) -> Bool {
        if stressd_pidfd_send_signal(pidfd, signal) == 0 { return true }
        let error = Errno(rawValue: Glibc.errno)
        if error == .noSuchProcess { return false }
        throw .system(call: "pidfd_send_signal", path: String(identity.pid), errno: error)
    }

    /// Waits until the process exits (the pidfd turns readable), at most
    /// `timeoutMilliseconds`. Returns true if it exited. Works for processes
    /// that are not our children; our own children must still be reaped.
    /// - Important: blocks the calling thread.
    public func waitForExit(timeoutMilliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
        let deadline = MonotonicClock.now() + UInt64(max(0, timeoutMilliseconds)) * 1_000_000
        while true {
            let now = MonotonicClock.now()
            let left = now >= deadline ? 0 : Int32((deadline - now) / 1_000_000)
            let ready = poll(&descriptor, 1, left)
            if ready > 0 { return true }
            if ready == 0 { return false }
            if Glibc.errno != EINTR { return false }
        }
    }
}

extension ProcessHandle {
    /// What became of one signal aimed at a recorded process.
    public enum Delivery: Equatable, Sendable {
        case delivered
        /// The process had already exited.
        case gone
        /// The pid now belongs to another process: nothing was sent.
        case reused(currentStartTime: UInt64)
    }

    /// Sends `signal` to the recorded process, and only to it.
    public static func send(_ signal: Int32, to identity: ProcessIdentity, procFS: ProcFS = ProcFS()) throws(HostError) -> Delivery {
        switch try open(identity, procFS: procFS) {
        case .gone: return .gone
        case .reused(let startTime): return .reused(currentStartTime: startTime)
        case .alive(let handle): return try handle.send(signal) ? .delivered : .gone
        }
    }
}
