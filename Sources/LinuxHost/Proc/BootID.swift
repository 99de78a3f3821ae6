import StressCore

extension ProcFS {
    /// `/proc/sys/kernel/random/boot_id`: a UUID new at every boot. Ledger
    /// records carry it so that after a reboot no recorded pid is mistaken
    /// for the process that now has the same number.
    public func bootID() throws(HostError) -> String {
        try read(file("sys/kernel/random/boot_id")).trimmingWhitespace()
    }
}
