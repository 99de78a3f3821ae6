import Glibc
import LinuxHost
import StressCore
import Testing
import TestSupport

@Suite struct DiskStatsTests {
    /// Recorded from this project's build VM (Linux 6.18, virtio disk): 20
    /// fields, with discard and flush counters.
    static let recorded = """
           7       0 loop0 3844 62 50840 148 2271 1984 1529726 4863 0 2876 7207 0 0 0 0 1124 2195
           7       1 loop1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
         254       0 vda 2604791 129874 78671002 4200338 988024 955005 116688056 2014298 0 690100 6625502 827767 42 376071512 282250 157632 128614
         253       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        """

    @Test func readsEveryDeviceOfARecordedFile() throws {
        let stats = try DiskStats(parsing: Self.recorded)
        #expect(stats.devices.map(\.name) == ["loop0", "loop1", "vda", "zram0"])
        let vda = try #require(stats.device(DeviceNumber(major: 254, minor: 0)))
        #expect(vda.name == "vda")
        #expect(vda.readsCompleted == 2_604_791)
        #expect(vda.sectorsRead == 78_671_002 && vda.readBytes == 78_671_002 * 512)
        #expect(vda.writesCompleted == 988_024)
        #expect(vda.sectorsWritten == 116_688_056 && vda.writtenBytes == 116_688_056 * 512)
        #expect(vda.ioTicksMilliseconds == 690_100)
        #expect(stats.device(DeviceNumber(major: 254, minor: 1)) == nil)
    }

    @Test func fourteenFieldsOfKernelsBefore418AndUnknownLaterOnes() throws {
        let stats = try DiskStats(parsing: """
               8       0 sda 1000 10 8000 500 2000 20 16000 900 3 1400 1400
               8       1 sda1 1 0 8 0 2 0 16 0 0 4 4 9 9 9 9 9 9 9 9 9 9 9 9
            """)
        #expect(stats.devices.count == 2)
        #expect(stats.devices[0].writtenBytes == 16_000 * 512)
        #expect(stats.devices[0].ioTicksMilliseconds == 1_400)
        #expect(stats.devices[1].name == "sda1" && stats.devices[1].readBytes == 8 * 512)
    }

    @Test func emptyFileHasNoDevices() throws {
        #expect(try DiskStats(parsing: "").devices.isEmpty)
        #expect(try DiskStats(parsing: "\n\n").devices.isEmpty)
    }

    @Test(arguments: [
        ("   8       0 sda 1000 10 8000 500 2000 20 16000 900 3 1400\n", "expected 'major minor name' and at least 11 counters, found 13 fields"),
        ("   8       0 sda 1 2 3 4\n", "expected 'major minor name' and at least 11 counters, found 7 fields"),
        ("garbage\n", "expected 'major minor name' and at least 11 counters, found 1 fields"),
        ("   8       0 sda 1000 10 x 500 2000 20 16000 900 3 1400 1400\n", "counter is not a number"),
        ("   8       0 sda 1000 10 -8 500 2000 20 16000 900 3 1400 1400\n", "counter is not a number"),
        ("   8       0 sda 1000 10 18446744073709551616 500 2000 20 16000 900 3 1400 1400\n", "counter is not a number"),
        ("   x       0 sda 1 2 3 4 5 6 7 8 9 10 11\n", "device number is not 'major minor'"),
        ("   4294967296 0 sda 1 2 3 4 5 6 7 8 9 10 11\n", "device number is not 'major minor'"),
        ("   8       0 sda 1 2 18446744073709551615 4 5 6 7 8 9 10 11\n", "sector count too large"),
    ])
    func rejectsBrokenLines(text: String, reason: String) {
        #expect {
            try DiskStats(parsing: text, file: "diskstats")
        } throws: { error in
            guard case .unparsable(let file, _, let actual) = error as? HostError else { return false }
            return file == "diskstats" && actual == reason
        }
    }

    @Test("dev_t splits as glibc's major() and minor() do", arguments: [
        (UInt64(0xFE00), UInt32(254), UInt32(0)),  // vda
        (UInt64(0x0801), 8, 1),  // sda1
        (UInt64(0x0000_1000_5672_3489), 0x1234, 0x56789),  // wide: major bits 44–63, minor bits 20–43
        (UInt64(0x0000_0000_0000_002A), 0, 42),  // tmpfs' anonymous device
    ])
    func deviceNumbers(dev: UInt64, major: UInt32, minor: UInt32) {
        #expect(DeviceNumber(dev_t(dev)) == DeviceNumber(major: major, minor: minor))
    }

    /// On this VM /tmp is ext4 on /dev/vda; elsewhere it may be tmpfs (no device).
    static var tmpIsOnABlockDevice: Bool {
        var info = stat()
        return stat("/tmp", &info) == 0 && DeviceNumber(info.st_dev).major != 0
    }

    @Test(.enabled(if: tmpIsOnABlockDevice)) func writesToATemporaryDirectoryShowOnItsDevice() throws {
        let temporary = try TemporaryDirectory()
        let directory = try OpenDirectory.open(temporary.path)
        let before = try #require(try ProcFS().diskStats(forFileAt: directory.descriptor))
        var info = stat()
        #expect(fstat(directory.descriptor, &info) == 0)
        #expect(DeviceNumber(info.st_dev) == DeviceNumber(major: before.major, minor: before.minor))

        let fd = try directory.createFile("data")
        defer { close(fd) }
        let block = [UInt8](repeating: 0x5A, count: 1 << 20)
        #expect(block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == 1 << 20)
        #expect(fsync(fd) == 0)
        let after = try #require(try ProcFS().diskStats(forFileAt: directory.descriptor))
        #expect(after.writtenBytes - before.writtenBytes >= 1 << 20, "the MiB written reached \(after.name)")
        #expect(after.writesCompleted > before.writesCompleted)
    }
}
