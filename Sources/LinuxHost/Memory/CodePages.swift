import Glibc

/// The pages of stressd's own executable that this process has mapped,
/// handed back to the kernel while the agent waits.
///
/// The kernel maps a file's pages 64 KiB around each one a program touches
/// (fault-around), so start-up and each attack leave 15–20 MiB of the
/// 90 MB binary mapped: argument parsing, the ledger replay, TLS set-up,
/// code the idle agent never runs again. `MADV_PAGEOUT` (Linux 5.4) unmaps
/// those pages and lets the kernel drop them from the page cache; what the
/// agent runs next is faulted back in (from the cache when it is still
/// there). Only clean file pages go: the binary's written data is anonymous
/// memory, which madvise leaves alone without swap.
public enum CodePages {
    /// Advises the kernel to page out every mapping of the running
    /// executable; returns the bytes advised, 0 when the kernel refused
    /// (before 5.4: EINVAL), since holding the pages is only a cost.
    @discardableResult
    public static func release(procFS: ProcFS = ProcFS()) -> UInt {
        var executable = stat()
        guard stat(procFS.current("exe").string, &executable) == 0,
              let mappings = try? procFS.ownMemoryMaps()
        else { return 0 }
        let device = DeviceNumber(executable.st_dev)
        var advised: UInt = 0
        for mapping in mappings where mapping.inode == UInt64(executable.st_ino) && mapping.device == device {
            guard madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), Int(mapping.length), MADV_PAGEOUT) == 0
            else { continue }
            advised += mapping.length
        }
        return advised
    }
}
