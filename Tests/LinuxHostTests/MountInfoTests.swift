import LinuxHost
import Testing

@Suite struct MountInfoTests {
    @Test func parsesFieldsAroundTheSeparator() throws {
        let info = try MountInfo(parsing:
            "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue\n")
        let mount = try #require(info.mounts.first)
        #expect(mount.mountID == 36)
        #expect(mount.parentID == 35)
        #expect(mount.device == "98:0")
        #expect(mount.root == "/mnt1")
        #expect(mount.mountPoint == "/mnt/parent")
        #expect(mount.options == ["rw", "noatime"])
        #expect(mount.optionalFields == ["master:1", "shared:7"])
        #expect(mount.fileSystemType == "ext3")
        #expect(mount.source == "/dev/root")
        #expect(mount.superOptions == ["rw", "errors=continue"])
    }

    @Test func noOptionalFields() throws {
        let info = try MountInfo(parsing: "22 27 0:21 / /proc rw,relatime - proc proc rw\n")
        #expect(info.mounts.first?.optionalFields == [])
        #expect(info.mounts.first?.isPseudoFileSystem == true)
    }

    @Test(arguments: [
        (#"/srv/my\040data"#, "/srv/my data"),
        (#"/a\011b\012c\134d"#, "/a\tb\nc\\d"),
        (#"/caf\303\251"#, "/café"),
        (#"/not\04escape"#, #"/not\04escape"#),
        (#"/trailing\"#, #"/trailing\"#),
        (#"/nine\999"#, #"/nine\999"#),
    ])
    func unescapesOctalInPaths(escaped: String, plain: String) throws {
        let info = try MountInfo(parsing: "1 0 8:1 / \(escaped) rw - ext4 \(escaped) rw\n")
        #expect(info.mounts.first?.mountPoint == plain)
        #expect(info.mounts.first?.source == plain)
    }

    @Test(arguments: [
        "22 27 0:21 / /proc rw,relatime proc proc rw\n",
        "22 27 0:21 / /proc rw,relatime - proc\n",
        "x 27 0:21 / /proc rw,relatime - proc proc rw\n",
        "22 27\n",
    ])
    func rejectsBrokenLines(text: String) {
        #expect(throws: HostError.self) { try MountInfo(parsing: text) }
    }

    @Test func emptyFileHasNoMounts() throws {
        #expect(try Fixture.odd.proc.mountInfo().mounts.isEmpty)
    }

    @Test func containerFixture() throws {
        let mounts = try Fixture.v2Container.proc.mountInfo().mounts
        let root = try #require(mounts.first { $0.mountPoint == "/" })
        #expect(root.fileSystemType == "overlay")
        #expect(!root.isPseudoFileSystem)
        #expect(mounts.contains { $0.mountPoint == "/data" && $0.root == "/srv/my data" })
        let cgroup = try #require(mounts.first { $0.mountPoint == "/sys/fs/cgroup" })
        #expect(cgroup.isPseudoFileSystem)
    }

    @Test func recordedHybridHost() throws {
        let mounts = try Fixture.hybridHost.proc.mountInfo().mounts
        #expect(mounts.filter { $0.fileSystemType == "cgroup" }.count == 9)
        #expect(mounts.contains { $0.fileSystemType == "cgroup2" && $0.mountPoint == "/sys/fs/cgroup/unified" })
    }
}
