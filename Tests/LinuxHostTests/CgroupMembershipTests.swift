import LinuxHost
import Testing

@Suite struct CgroupMembershipTests {
    @Test func pathsMayContainColons() throws {
        let membership = try CgroupMembership(parsing: "0::/system.slice/app:with:colons.scope\n")
        #expect(membership.unifiedPath == "/system.slice/app:with:colons.scope")
    }

    @Test(arguments: ["4:memory\n", "x:memory:/\n", "4:memory:relative\n"])
    func rejectsBrokenLines(text: String) {
        #expect(throws: HostError.self) { try CgroupMembership(parsing: text) }
    }

    @Test func recordedHybridHost() throws {
        let membership = try Fixture.hybridHost.proc.cgroupMembership()
        #expect(membership.unifiedPath == "/")
        #expect(membership.path(forController: "memory") == "/process_api/20fe68b5ff1ef3af027ed0c042719ec2")
        #expect(membership.entries.first { $0.controllers == ["name=systemd"] }?.hierarchyID == 9)
    }

    @Test func v1HostHasNoUnifiedLine() throws {
        let membership = try Fixture.v1Host.proc.cgroupMembership()
        #expect(membership.unifiedPath == nil)
        #expect(membership.path(forController: "cpuacct") == "/user.slice/batch.service")
    }

    @Test func v2ContainerAndEmptyFile() throws {
        #expect(try Fixture.v2Container.proc.cgroupMembership().unifiedPath == "/system.slice/docker-3f2a9c1e7b5d.scope")
        #expect(try Fixture.odd.proc.cgroupMembership().entries.isEmpty)
    }
}
