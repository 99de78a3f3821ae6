import Glibc
import StressCore
import SystemPackage

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
        let depth = ownNamespaceDepth()
        let executable = executableIdentity(current("exe"))
        return try processIDs().compactMap { pid in
            try? candidate(pid, ownNamespaceDepth: depth, ownExecutable: executable)
        }
    }

    /// One process, if it still runs (a zombie only waits to be reaped and
    /// is no one's target: ESRCH). A thread's id gives a candidate whose
    /// `threadOf` names its process, so that the deny list refuses it.
    public func candidate(_ pid: Int32) throws(HostError) -> ProcessCandidate {
        try candidate(pid, ownNamespaceDepth: ownNamespaceDepth(), ownExecutable: executableIdentity(current("exe")))
    }

    private func candidate(_ pid: Int32, ownNamespaceDepth: Int, ownExecutable: FileIdentity?) throws(HostError) -> ProcessCandidate {
        let processInfo = try processStat(pid)
        if processInfo.hasExited {
            throw .system(call: "candidate", path: process(pid, "stat").string, errno: .noSuchProcess)
        }
        let status = try processStatus(pid)
        let membership = try? cgroupMembership(of: pid)
        var owner = stat()
        // /proc/PID belongs to the process's real user.
        let userID = stat(process(pid, "").string, &owner) == 0 ? owner.st_uid : 0
        return ProcessCandidate(
            identity: processInfo.identity, command: processInfo.command,
            commandLine: (try? commandLine(pid)) ?? "", userID: userID,
            cgroup: membership?.selectorPath ?? "/",
            isKernelThread: processInfo.isKernelThread,
            threadOf: status.threadGroupID.flatMap { $0 == pid ? nil : $0 },
            pidNamespace: namespace(of: pid, status: status, ownDepth: ownNamespaceDepth),
            isStressd: processInfo.command == "stressd"
                || (ownExecutable != nil && executableIdentity(process(pid, "exe")) == ownExecutable))
    }

    /// How many processes `selector` matches now, reading of each process
    /// only what the selector looks at (its stat, and its command line or
    /// its cgroup if asked): what an abort condition counts ten times a
    /// second, where `processCandidates()` reads seven files a process.
    /// Threads, kernel threads, processes that have exited, those named
    /// `stressd` and those in `excluded` are not counted.
    public func count(matching selector: ProcessSelector, excluding excluded: Set<Int32>) throws(HostError) -> Int {
        let pids: [Int32]
        if case .pid(let pid) = selector {
            let isProcess = (try? processStatus(pid))?.threadGroupID.map { $0 == pid } ?? false
            pids = isProcess ? [pid] : []
        } else {
            pids = try processIDs()
        }
        var count = 0
        for pid in pids where !excluded.contains(pid) {
            guard let info = try? processStat(pid), !info.hasExited, !info.isKernelThread, info.command != "stressd" else { continue }
            var cgroup = "/"
            var commandLine = ""
            switch selector {
            case .unit, .cgroup: cgroup = (try? cgroupMembership(of: pid))?.selectorPath ?? "/"
            case .match: commandLine = (try? self.commandLine(pid)) ?? ""
            case .name, .pid: break
            }
            let candidate = ProcessCandidate(
                identity: info.identity, command: info.command, commandLine: commandLine, userID: 0, cgroup: cgroup,
                isKernelThread: false)
            if selector.matches(candidate) { count += 1 }
        }
        return count
    }

    /// The file a `/proc/.../exe` link names (stat follows it, even to a
    /// deleted or replaced binary), or nil (a kernel thread, no permission).
    private func executableIdentity(_ link: FilePath) -> FileIdentity? {
        var info = stat()
        guard stat(link.string, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), owner: info.st_uid)
    }

    /// The pid namespace `pid` lives in if it is nested below ours: its
    /// `NSpid` then lists more pids than ours does (a process can only see
    /// its own namespace and those below it).
    private func namespace(of pid: Int32, status: ProcessStatus, ownDepth: Int) -> PIDNamespace? {
        guard status.namespacePIDs.count > ownDepth, let inner = status.namespacePIDs.last else { return nil }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = readlink(process(pid, "ns/pid").string, &buffer, buffer.count - 1)
        let name = length > 0 ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        return PIDNamespace(name: name, innerPID: inner)
    }

    /// How many pids this process has in `NSpid`: 1 in the namespace /proc
    /// was mounted in. 1 if that cannot be read (before Linux 4.1, or a
    /// fixture tree without `self`).
    private func ownNamespaceDepth() -> Int {
        max(1, (try? currentStatus())?.namespacePIDs.count ?? 1)
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
