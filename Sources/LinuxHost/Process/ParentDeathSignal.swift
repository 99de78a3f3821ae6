import CLinux
import Glibc
import SystemPackage

/// Ties a worker's life to its supervisor's: the kernel sends SIGKILL to the
/// worker the moment the thread that spawned it exits.
public enum ParentDeathSignal {
    /// Arms SIGKILL-on-parent-death, then checks that the parent is still
    /// `expectedParent`: if the supervisor died before the signal was armed,
    /// the worker has been re-parented and must not start work.
    public static func arm(expectedParent: Int32) throws(HostError) {
        guard stressd_set_parent_death_signal(SIGKILL) == 0 else {
            throw .system(call: "prctl(PR_SET_PDEATHSIG)", path: nil, errno: Errno(rawValue: Glibc.errno))
        }
        guard getppid() == expectedParent else {
            throw .system(call: "getppid", path: nil, errno: .noSuchProcess)
        }
    }
}
