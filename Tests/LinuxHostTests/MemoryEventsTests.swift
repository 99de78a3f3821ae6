import LinuxHost
import SystemPackage
import Testing

@Suite struct MemoryEventsTests {
    @Test("oom_kill counts", arguments: [
        ("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n", UInt64(1) as UInt64?),
        ("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", 3),
        ("oom_kill_disable 1\nunder_oom 1\n", nil),
        ("low 0\nhigh 0\nmax 0\noom 0\noom_kill 18446744073709551615\nsock_throttled 0\n", .max),
        ("", nil),
    ])
    func oomKills(text: String, expected: UInt64?) throws {
        #expect(try MemoryEvents(parsing: text, file: "memory.events").oomKills == expected)
    }

    @Test func everyCounterIsKept() throws {
        let events = try MemoryEvents(parsing: "low 0\nhigh 4\nmax 12\noom 1\noom_kill 1\nfuture_counter 9\n", file: "memory.events")
        #expect(events.counters == ["low": 0, "high": 4, "max": 12, "oom": 1, "oom_kill": 1, "future_counter": 9])
    }

    @Test("refuses", arguments: ["oom_kill lots\n", "oom_kill\n", "oom_kill 1 2\n", "oom_kill -1\n"])
    func refuses(text: String) throws {
        let error = try #require(throws: HostError.self) { try MemoryEvents(parsing: text, file: "memory.events") }
        guard case .unparsable(let file, let line, _) = error else {
            Issue.record("expected unparsable, got \(error)")
            return
        }
        #expect(file == "memory.events")
        #expect(line + "\n" == text)
    }

    @Test func v2ContainerCountsItsKills() throws {
        let scope = AttackCgroup(path: Fixture.v2Container.cgroups.root.appending("system.slice/docker-3f2a9c1e7b5d.scope"))
        #expect(try scope.oomKills() == 2)
        #expect(try scope.memoryEvents()?.counters["max"] == 318)
    }

    @Test func v1HierarchyCountsItsKills() throws {
        let mount = try #require(Fixture.hybridHost.cgroups.v1Mount(for: "memory"))
        let group = AttackCgroup(path: mount.appending("process_api/20fe68b5ff1ef3af027ed0c042719ec2"))
        #expect(try group.oomKills() == 0)
        #expect(try group.memoryEvents()?.counters["oom_kill_disable"] == 0)
    }

    @Test func aCgroupWithoutTheMemoryControllerHasNoCount() throws {
        let pids = AttackCgroup(path: Fixture.hybridHost.cgroups.root.appending("pids"))
        #expect(try pids.oomKills() == nil)
        let gone = AttackCgroup(path: Fixture.hybridHost.cgroups.root.appending("memory/no-such-group"))
        #expect(try gone.oomKills() == nil)
    }

    @Test func thisHostsOwnMemoryCgroupHasACount() throws {
        let cgroups = CgroupFS()
        let membership = try ProcFS().cgroupMembership()
        let own: FilePath? =
            if let mount = cgroups.v1Mount(for: "memory"), let path = membership.path(forController: "memory") {
                CgroupFS.directory(path, under: mount)
            } else if let mount = cgroups.unifiedMount, let path = membership.unifiedPath {
                CgroupFS.directory(path, under: mount)
            } else { nil }
        let path = try #require(own, "no memory cgroup on this host")
        let events = try #require(try AttackCgroup(path: path).memoryEvents(), "no memory.events or memory.oom_control in \(path)")
        #expect(events.counters.keys.contains("oom_kill") || events.counters.keys.contains("oom_kill_disable"))
    }
}
