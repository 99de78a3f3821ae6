import Glibc
import SystemPackage

/// `/proc/diskstats`: cumulative I/O counters of every block device, the
/// kernel's side of what an I/O attack did (what reached the device, not
/// what the page cache absorbed).
///
/// Format (iostats.rst): one line per device, `major minor name` and then
/// 11 counters, to which Linux 4.18 added 4 discard fields and 5.5 two
/// flush fields:
/// ```
///  254       0 vda 2604791 129874 78671002 4200338 988024 955005 116688056 2014298 0 690100 6625502 827767 42 376071512 282250 157632 128614
/// ```
/// reads completed, reads merged, sectors read, ms reading, writes
/// completed, writes merged, sectors written, ms writing, I/Os in progress,
/// ms doing I/O, weighted ms doing I/O, then discards and flushes. Sectors
/// are 512 bytes whatever the device's sector size. Fields after the first
/// 14 are ignored, so newer kernels keep parsing; a line with fewer is not
/// this format (every kernel since 2.6.25 writes at least 14) and is
/// rejected, as is anything that is not a decimal counter.
/// https://docs.kernel.org/admin-guide/iostats.html
public struct DiskStats: Hashable, Sendable {
    /// One device's line.
    public struct Device: Hashable, Sendable {
        public var major: UInt32
        public var minor: UInt32
        /// The kernel's name, e.g. `vda`, `nvme0n1p2`, `dm-0`.
        public var name: String
        public var readsCompleted: UInt64
        public var sectorsRead: UInt64
        public var writesCompleted: UInt64
        public var sectorsWritten: UInt64
        /// Milliseconds the device had I/O in flight: its busy time, so a
        /// delta over an interval is the device's utilisation (iostat's %util).
        public var ioTicksMilliseconds: UInt64
        /// `sectorsRead` × 512.
        public var readBytes: UInt64
        /// `sectorsWritten` × 512.
        public var writtenBytes: UInt64
    }

    /// The size of a diskstats sector, fixed by the kernel (not the device's).
    public static let sectorBytes: UInt64 = 512
    /// `major minor name` and the 11 counters every kernel writes.
    static let requiredFields = 14

    /// Devices in the kernel's order.
    public var devices: [Device]

    public init(parsing text: String, file: String = "diskstats") throws(HostError) {
        var devices: [Device] = []
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            if fields.isEmpty { continue }
            func broken(_ reason: String) -> HostError {
                .unparsable(file: file, text: String(decoding: line, as: UTF8.self), reason: reason)
            }
            guard fields.count >= Self.requiredFields else {
                throw broken("expected 'major minor name' and at least 11 counters, found \(fields.count) fields")
            }
            var counters: [UInt64] = []
            counters.reserveCapacity(Self.requiredFields - 3)
            for field in fields[3..<Self.requiredFields] {
                guard let value = UInt64(asciiDecimal: field) else { throw broken("counter is not a number") }
                counters.append(value)
            }
            guard let major = UInt64(asciiDecimal: fields[0]).flatMap(UInt32.init(exactly:)),
                  let minor = UInt64(asciiDecimal: fields[1]).flatMap(UInt32.init(exactly:))
            else { throw broken("device number is not 'major minor'") }
            let (readBytes, readOverflow) = counters[2].multipliedReportingOverflow(by: Self.sectorBytes)
            let (writtenBytes, writeOverflow) = counters[6].multipliedReportingOverflow(by: Self.sectorBytes)
            guard !readOverflow, !writeOverflow else { throw broken("sector count too large") }
            devices.append(Device(
                major: major, minor: minor, name: String(decoding: fields[2], as: UTF8.self),
                readsCompleted: counters[0], sectorsRead: counters[2],
                writesCompleted: counters[4], sectorsWritten: counters[6],
                ioTicksMilliseconds: counters[9], readBytes: readBytes, writtenBytes: writtenBytes))
        }
        self.devices = devices
    }

    /// The line of device `major:minor`, if the kernel lists it.
    public func device(_ number: DeviceNumber) -> Device? {
        devices.first { $0.major == number.major && $0.minor == number.minor }
    }
}

extension ProcFS {
    public func diskStats() throws(HostError) -> DiskStats {
        let path = file("diskstats")
        return try DiskStats(parsing: read(path), file: path.string)
    }

    /// The counters of the block device the file system holding `descriptor`
    /// (a file or directory, e.g. an `OpenDirectory`'s) lives on. Nil when
    /// that device is not a block device in diskstats: tmpfs, overlayfs,
    /// NFS and btrfs report an anonymous device (major 0) in st_dev.
    public func diskStats(forFileAt descriptor: CInt) throws(HostError) -> DiskStats.Device? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .system(call: "fstat", path: nil, errno: Errno(rawValue: Glibc.errno))
        }
        return try diskStats().device(DeviceNumber(info.st_dev))
    }
}
