import Glibc
import LinuxHost
import SystemPackage
import TestSupport
import Testing

@Suite struct CgroupLayoutTests {
    @Test(arguments: [
        (Fixture.hybridHost, CgroupFS.Layout.hybrid),
        (.v2Container, .v2),
        (.v1Host, .v1),
    ])
    func detectsLayout(fixture: Fixture, layout: CgroupFS.Layout) {
        #expect(fixture.cgroups.layout == layout)
    }

    @Test func unifiedMountPerLayout() {
        #expect(Fixture.hybridHost.cgroups.unifiedMount == Fixture.hybridHost.cgroups.root.appending("unified"))
        #expect(Fixture.v2Container.cgroups.unifiedMount == Fixture.v2Container.cgroups.root)
        #expect(Fixture.v1Host.cgroups.unifiedMount == nil)
    }

    @Test func v1ControllersMountedTogetherAreFoundByEitherName() {
        let cgroups = Fixture.v1Host.cgroups
        #expect(cgroups.v1Mount(for: "cpu") != nil)
        #expect(cgroups.v1Mount(for: "cpuacct") != nil)
        #expect(cgroups.v1Mount(for: "blkio") == nil)
        #expect(Fixture.v2Container.cgroups.v1Mount(for: "memory") == nil)
    }

    @Test func emptyDirectoryHasNoLayout() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path
        #expect(CgroupFS(root: path).layout == .none)
        #expect(CgroupFS(root: path.appending("missing")).layout == .none)
    }
}
