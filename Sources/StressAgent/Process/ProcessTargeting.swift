import LinuxHost
import StressCore

/// Finds the processes a kill or pause aims at: those the selector matches,
/// split into the ones that may be hit and the ones the deny list spares.
public struct ProcessTargeting: Sendable {
    public let spec: ProcessSpec
    public let procFS: ProcFS
    public let denyList: DenyList

    public init(spec: ProcessSpec, procFS: ProcFS = ProcFS()) {
        self.spec = spec
        self.procFS = procFS
        denyList = DenyList(selfAndAncestors: procFS.selfAndAncestors())
    }

    public struct Survey: Sendable {
        public var eligible: [ProcessCandidate]
        public var spared: [(ProcessCandidate, String)]
        public var isEmpty: Bool { eligible.isEmpty && spared.isEmpty }
    }

    /// Every matching process now. `--pid` reads one process, not all.
    public func survey() -> Survey {
        let candidates: [ProcessCandidate]
        if case .pid(let pid) = spec.selector {
            candidates = (try? procFS.candidate(pid)).map { [$0] } ?? []
        } else {
            candidates = (try? procFS.processCandidates()) ?? []
        }
        var survey = Survey(eligible: [], spared: [])
        for candidate in candidates where spec.selector.matches(candidate) {
            if let reason = denyList.refusal(for: candidate, allowProtected: spec.allowProtected) {
                survey.spared.append((candidate, reason))
            } else {
                survey.eligible.append(candidate)
            }
        }
        return survey
    }

    /// Checks before anything is touched: a selector that matches only
    /// protected processes is bad input (exit 2, naming them); one that
    /// matches nothing is a failed attack (exit 1) unless `--allow-none`.
    public func preflight() throws(AgentError) -> Survey {
        let found = survey()
        if found.eligible.isEmpty, !found.spared.isEmpty {
            let names = found.spared.map { "pid \($0.0.pid) (\($0.0.command)): \($0.1)" }.joined(separator: "; ")
            throw .input(.rejected(field: "selector", reason: "\(spec.selector) matches only protected processes: \(names)"))
        }
        if found.isEmpty, !spec.allowNone {
            throw .noMatch("\(spec.selector) matches no process; check it with --dry-run, or pass --allow-none if that is expected")
        }
        return found
    }
}
