import SystemPackage

/// Failures of the host layer. Syscall failures keep their `Errno`; parse
/// failures carry the file and the text that did not fit, so a report from
/// a strange kernel says exactly what to look at.
public enum HostError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case system(call: String, path: String?, errno: Errno)
    /// A kernel file did not have the format its parser expects.
    case unparsable(file: String, text: String, reason: String)
    /// A path is not what stressd made or may trust (another user could
    /// have planted or swapped it), so it was left alone.
    case untrusted(path: String, reason: String)

    public var description: String {
        switch self {
        case .system(let call, let path, let errno):
            let target = path.map { " \($0)" } ?? ""
            return "\(call)\(target): \(errno) (\(errno.rawValue))"
        case .unparsable(let file, let text, let reason):
            let excerpt = text.count > 120 ? String(text.prefix(120)) + "…" : text
            return "cannot parse \(file): \(reason) in '\(excerpt)'"
        case .untrusted(let path, let reason):
            return "\(path): \(reason)"
        }
    }

    /// The errno of a failed call, to tell "gone" (ENOENT, ESRCH) from real failures.
    public var errno: Errno? {
        if case .system(_, _, let errno) = self { return errno }
        return nil
    }
}
