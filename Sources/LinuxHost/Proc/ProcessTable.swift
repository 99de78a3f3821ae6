import Glibc
import StressCore

extension ProcFS {
    /// `/proc/PID/cmdline`: argv separated by NULs, shown joined by spaces.
    /// Empty for kernel threads and zombies. Only the first
    /// `ProcessCandidate.commandLineLimit` bytes are read: the rest is cut.
    public func commandLine(_ pid: Int32) throws(HostError) -> String {
        let bytes = try TextFile.readBytes(process(pid, "cmdline"), limit: ProcessCandidate.commandLineLimit)
        let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        return arguments.joined(separator: " ").trimmingWhitespace()
    }

    /// Every process a process attack could aim at, with what selection
    /// needs. Processes that exit while being read are left out.
    public func processCandidates() throws(HostError) -> [ProcessCandidate] {
        try processIDs().compactMap { pid in
            try? candidate(pid)
        }
    }

    /// One process, if it still runs (a zombie only waits to be reaped and
    /// is no one's target: ESRCH).
    public func candidate(_ pid: Int32) throws(HostError) -> ProcessCandidate {
        let processInfo = try processStat(pid)
        if processInfo.hasExited {
            throw .system(call: "candidate", path: process(pid, "stat").string, errno: .noSuchProcess)
        }
        let membership = try? cgroupMembership(of: pid)
        var owner = stat()
        // /proc/PID belongs to the process's real user.
        let userID = stat(process(pid, "").string, &owner) == 0 ? owner.st_uid : 0
        return ProcessCandidate(
            identity: processInfo.identity, command: processInfo.command,
            commandLine: (try? commandLine(pid)) ?? "", userID: userID,
            cgroup: membership?.unifiedPath.flatMap { $0 == "/" ? nil : $0 }
                ?? membership?.path(forController: "name=systemd") ?? membership?.unifiedPath ?? "/",
            isKernelThread: processInfo.isKernelThread)
    }

    /// This process and every ancestor up to PID 1.
    public func selfAndAncestors() -> Set<Int32> {
        var chain: Set<Int32> = []
        var pid = getpid()
        while pid > 0, !chain.contains(pid) {
            chain.insert(pid)
            guard let parent = try? processStat(pid).parentPID else { break }
            pid = parent
        }
        return chain
    }
}
