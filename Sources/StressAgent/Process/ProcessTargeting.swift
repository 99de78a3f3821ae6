import LinuxHost
import StressCore

/// Finds the processes a kill or pause aims at: those the selector matches,
/// split into the ones that may be hit and the ones the deny list spares.
public struct ProcessTargeting: Sendable {
    /// How long one survey of the host's processes may take before the
    /// request fails. A `--match` pattern costs at most linear time per
    /// command line (see `CommandLinePattern`), but a host with very many
    /// processes, or a slow /proc, must still never hold up an admission or
    /// a kill round for long: failing says so and how to narrow the selector.
    public static let defaultTimeLimit: Duration = .seconds(2)

    public let spec: ProcessSpec
    public let procFS: ProcFS
    public let denyList: DenyList
    public let timeLimit: Duration

    public init(spec: ProcessSpec, procFS: ProcFS = ProcFS(), timeLimit: Duration = Self.defaultTimeLimit) {
        self.spec = spec
        self.procFS = procFS
        self.timeLimit = timeLimit
        denyList = DenyList(selfAndAncestors: procFS.selfAndAncestors())
    }

    public struct Survey: Sendable {
        public var eligible: [ProcessCandidate]
        public var spared: [(ProcessCandidate, String)]
        public var isEmpty: Bool { eligible.isEmpty && spared.isEmpty }
    }

    /// Every matching process now. `--pid` reads one process, not all.
    /// - Important: blocks the calling thread for up to `timeLimit`, reading
    ///   /proc; an agent calls `preflightOnOwnThread()` instead.
    public func survey(clock: ContinuousClock = ContinuousClock()) throws(AgentError) -> Survey {
        let deadline = clock.now.advanced(by: timeLimit)
        let candidates: [ProcessCandidate]
        if case .pid(let pid) = spec.selector {
            candidates = (try? procFS.candidate(pid)).map { [$0] } ?? []
        } else {
            candidates = (try? procFS.processCandidates()) ?? []
        }
        var survey = Survey(eligible: [], spared: [])
        for (index, candidate) in candidates.enumerated() {
            guard clock.now < deadline else {
                throw .input(.rejected(field: "selector", reason: "looking through the host's processes for \(spec.selector) "
                    + "took longer than \(timeLimit.humanReadable) (\(index) of \(candidates.count) looked at); "
                    + "narrow the selector (--name, --unit or --pid, or a more specific pattern)"))
            }
            guard spec.selector.matches(candidate) else { continue }
            if let reason = denyList.refusal(for: candidate, allowProtected: spec.allowProtected) {
                survey.spared.append((candidate, reason))
            } else {
                survey.eligible.append(candidate)
            }
        }
        return survey
    }

    /// Checks before anything is touched: a selector that matches only
    /// processes that may not be hit is bad input (exit 2, naming them);
    /// one that matches nothing is a failed attack (exit 1) unless
    /// `--allow-none`.
    /// - Important: blocks the calling thread for up to `timeLimit`.
    public func preflight() throws(AgentError) -> Survey {
        let found = try survey()
        if found.eligible.isEmpty, !found.spared.isEmpty {
            let names = found.spared.map { "pid \($0.0.pid) (\($0.0.command)): \($0.1)" }.joined(separator: "; ")
            throw .input(.rejected(field: "selector", reason: "\(spec.selector) matches only processes that may not be hit: \(names)"))
        }
        if found.isEmpty, !spec.allowNone {
            throw .noMatch("\(spec.selector) matches no process; check it with --dry-run, or pass --allow-none if that is expected")
        }
        return found
    }

    /// `preflight()` on a thread of its own, awaited: the agent's actor and
    /// Swift's small cooperative pool never wait on /proc and matching, so
    /// leases, stops, guards and other requests go on while it runs.
    public func preflightOnOwnThread() async throws(AgentError) -> Survey {
        try await Self.onOwnThread { () throws(AgentError) in try preflight() }
    }

    /// `survey()` on a thread of its own, awaited, for the drivers' rounds:
    /// an interval kill surveys every tick, and the pool its supervisor
    /// runs on is the one guards and lease checks need.
    public func surveyOnOwnThread() async throws(AgentError) -> Survey {
        try await Self.onOwnThread { () throws(AgentError) in try survey() }
    }

    private static func onOwnThread(_ body: @escaping @Sendable () throws(AgentError) -> Survey) async throws(AgentError) -> Survey {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Survey, AgentError>, Never>) in
            DetachedThread.start(name: "stressd-survey") {
                do throws(AgentError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
