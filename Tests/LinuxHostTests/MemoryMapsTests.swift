import Glibc
import LinuxHost
import Testing

@Suite struct MemoryMapsTests {
    @Test func parsesFilesAnonymousMappingsAndOddNames() throws {
        let text = """
            55d1c0a00000-55d1c2400000 r-xp 00200000 fd:01 1835043                    /usr/bin/stressd
            55d1c2400000-55d1c2700000 rw-p 00000000 00:00 0                          [heap]
            7f0000000000-7f0000021000 rw-p 00000000 00:00 0 
            7f1000000000-7f1000001000 r--p 00000000 103:02 42                         /tmp/a name with  spaces
            7f2000000000-7f2000001000 r--p 00000000 fd:01 7                          /opt/old (deleted)

            """
        let maps = try MemoryMapping.parse(text)
        #expect(maps.count == 5)
        #expect(maps[0].start == 0x55d1_c0a0_0000 && maps[0].length == 0x1a0_0000)
        #expect(maps[0].permissions == "r-xp" && maps[0].inode == 1_835_043 && maps[0].path == "/usr/bin/stressd")
        #expect(maps[0].device == DeviceNumber(major: 0xfd, minor: 1))
        #expect(maps[1].path == "[heap]" && maps[1].inode == 0)
        #expect(maps[2].path == nil, "an anonymous mapping has no name")
        #expect(maps[3].path == "/tmp/a name with  spaces" && maps[3].device == DeviceNumber(major: 0x103, minor: 2))
        #expect(maps[4].path == "/opt/old (deleted)")
    }

    @Test(arguments: [
        "55d1c0a00000 r-xp 00200000 fd:01 1835043 /x",
        "55d1c0a00000-55d1c2400000 r-xp 00200000 fd01 1835043 /x",
        "zz-55d1c2400000 r-xp 00200000 fd:01 1835043 /x",
        "2000-1000 r-xp 00200000 fd:01 1835043 /x",
        "1000-2000 r-x 00200000 fd:01 1835043 /x",
        "1000-2000 r-xp 00200000 fd:01 -1 /x",
        "1000-2000 r-xp",
    ])
    func refusesBrokenLines(line: String) {
        #expect(throws: HostError.self) { try MemoryMapping.parse(line + "\n") }
    }

    /// On this process: its executable is mapped, and paging it out gives
    /// back at least some of it (the kernel keeps what another process maps).
    @Test func releasesTheRunningExecutablesPages() throws {
        var executable = stat()
        try #require(stat("/proc/self/exe", &executable) == 0)
        let own = try ProcFS().ownMemoryMaps().filter { $0.inode == UInt64(executable.st_ino) }
        #expect(!own.isEmpty && own.contains { $0.permissions.hasPrefix("r-x") })
        #expect(CodePages.release() == own.reduce(0) { $0 + $1.length }, "every mapping of the executable advised")
    }
}
