import LinuxHost
import Testing

@Suite struct LoadAverageTests {
    @Test func parsesAllFiveFields() throws {
        let load = try LoadAverage(parsing: "0.37 0.32 0.17 1/78 3596\n")
        #expect(load.one == 0.37)
        #expect(load.five == 0.32)
        #expect(load.fifteen == 0.17)
        #expect(load.runnable == 1)
        #expect(load.entities == 78)
        #expect(load.lastPID == 3596)
    }

    @Test(arguments: [
        "", "0.00 0.01\n", "0.1 0.2 0.3 1-78 3596\n", "a b c 1/2 3\n", "0.1 0.2 0.3 1/2 3 extra\n",
        "nan 0.2 0.3 1/2 3\n", "0.1 inf 0.3 1/2 3\n", "0.1 0.2 -infinity 1/2 3\n",
    ])
    func rejectsBrokenText(text: String) {
        #expect(throws: HostError.self) { try LoadAverage(parsing: text) }
    }

    @Test func readsFixtures() throws {
        #expect(try Fixture.v2Container.proc.loadAverage().one == 1.52)
        #expect(try Fixture.v1Host.proc.loadAverage().entities == 301)
        #expect(throws: HostError.self) { try Fixture.odd.proc.loadAverage() }
    }
}
