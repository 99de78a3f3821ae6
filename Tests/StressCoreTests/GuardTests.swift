import StressCore
import Testing

@Suite("Guards: the blast radius, enforced")
struct GuardTests {
    let rails = Guard(memoryFloorBytes: 256 << 20, diskFloorBytes: ["/data": 512 << 20], maxLoadAverage: 8, maxIOPressure: 60)

    @Test func insideEveryFloorIsQuiet() {
        #expect(rails.check(Guard.Reading(memoryAvailableBytes: 1 << 30, diskAvailableBytes: ["/data": 1 << 30], loadAverage1: 2)) == nil)
    }

    @Test func eachFloorTripsWithItsName() throws {
        let memory = try #require(rails.check(Guard.Reading(memoryAvailableBytes: 255 << 20)))
        #expect(memory.name == .memoryFloor)
        #expect(memory.reason.contains("fell to 255 MiB, below the floor of 256 MiB"))
        #expect(rails.check(Guard.Reading(diskAvailableBytes: ["/data": 1 << 20]))?.name == .diskFloor)
        #expect(rails.check(Guard.Reading(loadAverage1: 8.5))?.name == .loadAverage)
        let pressure = try #require(rails.check(Guard.Reading(ioPressure10: 61.25)))
        #expect(pressure.name == .ioPressure)
        #expect(pressure.reason.contains("rose to 61.25%, above 60.00%"))
        #expect(rails.check(Guard.Reading(ioPressure10: 60)) == nil, "at the cap is allowed")
        #expect(!Guard(maxIOPressure: 10).isEmpty && Guard(maxIOPressure: 10).watchesIOPressure)
    }

    @Test func exactlyAtTheFloorIsAllowed() {
        #expect(rails.check(Guard.Reading(memoryAvailableBytes: 256 << 20, loadAverage1: 8)) == nil)
    }

    @Test func missingReadingsAreNotJudged() {
        #expect(rails.check(Guard.Reading()) == nil)
        #expect(Guard().isEmpty)
        #expect(!rails.isEmpty)
    }

    @Test func aGuardThatCannotReadTheHostStopsTheAttackOnTheThirdReadingInARow() throws {
        var watch = GuardWatch(rails: rails)
        let blind = Guard.Reading(unreadable: ["memory available: open /proc/meminfo: too many open files"])
        #expect(watch.judge(blind) == nil)
        #expect(watch.judge(blind) == nil)
        let third = watch.judge(blind)
        let trip = try #require(third)
        #expect(trip.name == .unreadable)
        #expect(trip.reason.contains("3 times in a row (memory available: open /proc/meminfo: too many open files)"), "\(trip.reason)")
    }

    @Test func aGoodReadingResetsTheCountOfFailedOnes() {
        var watch = GuardWatch(rails: rails)
        let blind = Guard.Reading(unreadable: ["load average: EMFILE"])
        let good = Guard.Reading(memoryAvailableBytes: 1 << 30, diskAvailableBytes: ["/data": 1 << 30], loadAverage1: 1)
        for _ in 0..<5 {
            #expect(watch.judge(blind) == nil)
            #expect(watch.judge(blind) == nil)
            #expect(watch.judge(good) == nil)
        }
    }

    @Test func aFloorCrossedInAPartialReadingTripsAtOnce() {
        var watch = GuardWatch(rails: rails)
        let partial = Guard.Reading(memoryAvailableBytes: 1 << 20, unreadable: ["load average: EMFILE"])
        #expect(watch.judge(partial)?.name == .memoryFloor)
    }

    @Test func describesEveryFloorForAReport() {
        #expect(rails.description
            == "memory available above 256 MiB, free space on /data above 512 MiB, 1-minute load average at most 8.0, "
            + "I/O pressure (PSI some avg10) at most 60.00%")
        #expect(Guard().description == "none")
    }
}

@Suite("Sizes or shares")
struct SizeOrShareTests {
    @Test func parsesBoth() throws {
        #expect(try SizeOrShare(parsing: "2G", field: "size") == .bytes(ByteCount(bytes: 2 << 30)))
        #expect(try SizeOrShare(parsing: "80%", field: "size").bytes(of: 1000) == 800)
        #expect(throws: InputError.self) { try SizeOrShare(parsing: "120%", field: "size") }
        #expect(throws: InputError.self) { try SizeOrShare(parsing: "-5%", field: "size") }
    }
}
