import LinuxHost
import NIOSSL
import Synchronization

/// What probes reach the host through: its /proc and cgroup roots, and the
/// TLS settings of https checks (the system's trust store, loaded on the
/// first https check and kept).
final class ProbeHost: Sendable {
    let procFS: ProcFS
    let cgroupFS: CgroupFS
    private let context = Mutex<Result<NIOSSLContext, TLSUnavailable>?>(nil)

    /// Why an https check cannot be made, as its failed evaluation says.
    struct TLSUnavailable: Error {
        let reason: String
    }

    init(procFS: ProcFS = ProcFS(), cgroupFS: CgroupFS = CgroupFS()) {
        self.procFS = procFS
        self.cgroupFS = cgroupFS
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
}
