import LinuxHost
import Testing

@Suite struct PressureStallTests {
    @Test func parsesSomeAndFull() throws {
        let psi = try PressureStall(parsing: """
            some avg10=0.21 avg60=5.43 avg300=4.03 total=18575167
            full avg10=0.00 avg60=0.22 avg300=0.33 total=3099545
            """)
        #expect(psi.some == PressureStall.Averages(avg10: 0.21, avg60: 5.43, avg300: 4.03, totalMicroseconds: 18_575_167))
        #expect(psi.full?.avg300 == 0.33)
    }

    @Test func cpuBeforeLinux513HasNoFullLine() throws {
        let psi = try PressureStall(parsing: "some avg10=1.00 avg60=2.00 avg300=3.00 total=4\n")
        #expect(psi.full == nil)
        #expect(psi.some.totalMicroseconds == 4)
    }

    @Test func unknownKeysAreIgnored() throws {
        let psi = try PressureStall(parsing: "some avg10=1.00 avg60=2.00 avg300=3.00 total=4 avg900=5.00\n")
        #expect(psi.some.avg10 == 1.0)
    }

    @Test(arguments: [
        "",
        "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        "some avg10=0.00 avg60=0.00 total=0\n",
        "some avg10=x avg60=0.00 avg300=0.00 total=0\n",
        "most avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        // Double(_:) reads these, but JSON cannot carry them.
        "some avg10=nan avg60=0.00 avg300=0.00 total=0\n",
        "some avg10=0.00 avg60=inf avg300=0.00 total=0\n",
    ])
    func rejectsBrokenText(text: String) {
        #expect(throws: HostError.self) { try PressureStall(parsing: text) }
    }

    @Test func missingPressureDirectoryMeansNoPSI() throws {
        for resource in PressureStall.Resource.allCases {
            #expect(try Fixture.v2Container.proc.pressure(resource) == nil)
        }
    }

    @Test func readsRecordedAndOlderKernelFiles() throws {
        let cpu = try #require(try Fixture.hybridHost.proc.pressure(.cpu))
        #expect(cpu.some.totalMicroseconds == 22_539_718)
        #expect(cpu.full != nil)
        let olderCPU = try #require(try Fixture.v1Host.proc.pressure(.cpu))
        #expect(olderCPU.full == nil)
        #expect(olderCPU.some.avg10 == 12.5)
        #expect(try Fixture.v1Host.proc.pressure(.memory)?.full?.totalMicroseconds == 567)
    }
}
