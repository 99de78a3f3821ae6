/// A call the agent's own loop makes once per `interval`: the service pings
/// systemd's watchdog from it (`WatchdogSec=`), so an agent whose loop
/// hangs stops pinging and systemd restarts it. This, and leases that are
/// due, are the only times an agent with no attack running wakes up.
public struct Heartbeat: Sendable {
    public let interval: Duration
    public let beat: @Sendable () -> Void

    public init(interval: Duration, beat: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.beat = beat
    }
}
