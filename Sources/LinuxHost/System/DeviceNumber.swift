import Glibc

/// A device's `major:minor`, split out of a `dev_t` (stat's st_dev), to
/// find a file system's device in /proc/diskstats or /sys/dev/block.
public struct DeviceNumber: Hashable, Sendable, CustomStringConvertible {
    public var major: UInt32
    public var minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Splits `dev` as glibc's `major()` and `minor()` do. Those are macros
    /// over `gnu_dev_major`/`gnu_dev_minor`, inline functions in
    /// <sys/sysmacros.h> that Swift's Glibc module does not import, so the
    /// bit layout is spelled here: major in bits 8–19 and 44–63, minor in
    /// bits 0–7 and 20–43: glibc's 64-bit widening of the kernel's
    /// `new_encode_dev` (12-bit major, 20-bit minor).
    public init(_ dev: dev_t) {
        let dev = UInt64(dev)
        major = UInt32(truncatingIfNeeded: ((dev & 0x0000_0000_000f_ff00) >> 8) | ((dev & 0xffff_f000_0000_0000) >> 32))
        minor = UInt32(truncatingIfNeeded: (dev & 0x0000_0000_0000_00ff) | ((dev & 0x0000_0fff_fff0_0000) >> 12))
    }

    /// `major:minor`, as /sys/dev/block and lsblk write it.
    public var description: String { "\(major):\(minor)" }
}
