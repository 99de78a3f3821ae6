import CSystemd
import Glibc

/// Tells systemd how the service is doing through the notify socket
/// (`Type=notify`): READY once recovery is done, STATUS lines for
/// `systemctl status`, WATCHDOG pings from the supervisor loop (a hung
/// supervisor stops pinging and systemd restarts it), STOPPING on the way
/// out. Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
public struct ServiceNotifier: Sendable {
    public init() {}

    /// Whether a service manager listens (NOTIFY_SOCKET is set).
    public var isSupervised: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// The service finished starting: the ledger was replayed and it serves.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        send(["READY=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// One line for `systemctl status`, e.g. "2 attacks running".
    @discardableResult
    public func status(_ text: String) -> Bool {
        send(["STATUS=\(text)"])
    }

    /// Keep-alive for `WatchdogSec=`.
    @discardableResult
    public func watchdog() -> Bool {
        send(["WATCHDOG=1"])
    }

    @discardableResult
    public func stopping(status: String? = nil) -> Bool {
        send(["STOPPING=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// How often to ping: half of `WatchdogSec=`, as sd_watchdog_enabled(3)
    /// advises; nil when no watchdog is configured for this process.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard stressd_sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds / 2))
    }

    /// Descriptors passed by socket activation (`stressd.socket`), from 3 on.
    public func listenDescriptors() -> [Int32] {
        let count = stressd_sd_listen_fds(0)
        guard count > 0 else { return [] }
        return (0..<count).map { STRESSD_LISTEN_FDS_START + $0 }
    }

    /// Sends the assignments as one datagram; true if a manager received it.
    private func send(_ assignments: [String]) -> Bool {
        stressd_sd_notify(0, assignments.joined(separator: "\n")) > 0
    }
}
