import LinuxHost
import NIOSSL
import OneShotNetwork
import StressCore
import Synchronization

/// What probes reach the host through: its /proc and cgroup roots, and the
/// TLS settings of https checks (the system's trust store, loaded on the
/// first https check and kept).
final class ProbeHost: Sendable {
    let procFS: ProcFS
    let cgroupFS: CgroupFS
    private let context = Mutex<Result<NIOSSLContext, TLSUnavailable>?>(nil)
    private let ancestors = Mutex<Set<Int32>?>(nil)

    /// Why an https check cannot be made, as its failed evaluation says.
    struct TLSUnavailable: Error {
        let reason: String
    }

    init(procFS: ProcFS = ProcFS(), cgroupFS: CgroupFS = CgroupFS()) {
        self.procFS = procFS
        self.cgroupFS = cgroupFS
    }

    /// stressd and its ancestors, which a process check never counts: read
    /// on the first look and kept, since the chain cannot change while this
    /// process runs (a check may look ten times a second).
    var selfAndAncestors: Set<Int32> {
        ancestors.withLock { known in
            if let known { return known }
            let read = procFS.selfAndAncestors()
            known = read
            return read
        }
    }

    var tls: Result<NIOSSLContext, TLSUnavailable> {
        context.withLock { context in
            if let context { return context }
            let made = Result { () throws(TLSUnavailable) -> NIOSSLContext in
                do {
                    return try NIOSSLContext(configuration: .makeClientConfiguration())
                } catch {
                    throw TLSUnavailable(reason: "cannot set up TLS: \(error)")
                }
            }
            context = made
            return made
        }
    }

    /// A GET of `target` on `url`'s server, over TLS when the URL says
    /// https; the reason there is none when TLS cannot be set up.
    func get(
        _ url: ProbeURL, target: String, headers: [(String, String)] = []
    ) -> Result<OneShotHTTP.Request, TLSUnavailable> {
        var request = OneShotHTTP.Request(.GET, host: url.host, port: url.port, target: target, headers: headers)
        if url.secure {
            switch tls {
            case .success(let context): request.tls = context
            case .failure(let error): return .failure(error)
            }
        }
        return .success(request)
    }
}
