import Glibc
import LinuxHost
import StressCore

/// A worker the supervisor spawned: the child process, its recorded
/// identity, and the supervisor's end of its control pipe.
struct WorkerProcess: Sendable {
    let process: ChildProcess
    let identity: ProcessIdentity
    let control: ControlPipe

    var pid: Int32 { process.pid }

    /// SIGKILL and close the pipe: a worker holds nothing worth flushing.
    /// It stays a zombie, with its final CPU time readable, until reaped.
    func kill() {
        Glibc.kill(process.pid, SIGKILL)
        control.close()
    }
}
