import Foundation
import Glibc
import Systemd
import Testing

/// The notify protocol against a datagram socket this test binds, standing
/// in for systemd's: what arrives is exactly what systemd would read.
@Suite("sd_notify", .serialized)
struct ServiceNotifierTests {
    final class NotifySocket {
        let path: String
        let fd: Int32

        init() throws {
            path = NSTemporaryDirectory() + "stressd-notify-\(getpid())-\(UInt32.random(in: 0 ... .max))"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
            setenv("NOTIFY_SOCKET", path, 1)
        }

        /// The next datagram, or nil after a short wait.
        func receive() -> String? {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 1000) == 1 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
        }

        deinit {
            unsetenv("NOTIFY_SOCKET")
            close(fd)
            unlink(path)
        }
    }

    @Test func readyStatusWatchdogAndStoppingArriveAsSystemdReadsThem() throws {
        let socket = try NotifySocket()
        let notifier = ServiceNotifier()
        #expect(notifier.isSupervised)

        #expect(notifier.ready(status: "recovered 1 attack"))
        #expect(socket.receive() == "READY=1\nSTATUS=recovered 1 attack")
        #expect(notifier.status("2 attacks running"))
        #expect(socket.receive() == "STATUS=2 attacks running")
        #expect(notifier.watchdog())
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(notifier.stopping())
        #expect(socket.receive() == "STOPPING=1")
    }

    @Test func withoutAServiceManagerNothingIsSent() {
        unsetenv("NOTIFY_SOCKET")
        let notifier = ServiceNotifier()
        #expect(!notifier.isSupervised)
        #expect(!notifier.ready())
        #expect(!notifier.watchdog())
    }

    @Test func theWatchdogIsPingedAtHalfItsInterval() {
        setenv("WATCHDOG_USEC", "4000000", 1)
        setenv("WATCHDOG_PID", String(getpid()), 1)
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        #expect(ServiceNotifier().watchdogInterval == .seconds(2))
        setenv("WATCHDOG_PID", "1", 1)
        #expect(ServiceNotifier().watchdogInterval == nil, "a watchdog meant for another process is not ours")
    }
}
