import StressCore
import Testing

@Suite("Parsing what users type")
struct UnitParsingTests {
    @Test("durations", arguments: [
        ("30s", 30.0), ("5m", 300.0), ("1h30m", 5400.0), ("250ms", 0.25), ("1.5s", 1.5), (" 2m ", 120.0),
    ])
    func durations(text: String, seconds: Double) throws {
        #expect(try Duration.parse(text, field: "duration").seconds == seconds)
    }

    @Test("bad durations say what was wrong", arguments: ["", "30", "5x", "s", "-3s", "1.2.3s", "3 s"])
    func badDurations(text: String) {
        #expect(throws: InputError.self) { try Duration.parse(text, field: "duration") }
    }

    @Test func negativeDurationIsOutOfRange() {
        #expect(throws: InputError.outOfRange(field: "duration", value: "-3s", allowed: "a duration cannot be negative")) {
            try Duration.parse("-3s", field: "duration")
        }
    }

    @Test("durations print the way users type them", arguments: [
        (0.25, "250ms"), (30, "30s"), (1.5, "1.5s"), (90, "1m30s"), (3600, "1h"), (5400, "1h30m"),
        (60.5, "1m0.5s"), (3600.25, "1h0.25s"),
    ])
    func humanReadable(seconds: Double, text: String) throws {
        let duration = Duration.nanoseconds(Int64(seconds * 1e9))
        #expect(duration.humanReadable == text)
        #expect(try Duration.parse(text, field: "d") == duration)
    }

    /// Found by `make fuzz` (duration): past a minute the printed form
    /// dropped the milliseconds, and a spec is stored in that form.
    @Test func durationsPastAMinutePrintTheirMilliseconds() throws {
        #expect(try Duration.parse("31h.131h3m", field: "d").humanReadable == "31h10m51.6s")
    }

    /// Found by `make fuzz` (duration): each part was bounded, not the sum,
    /// so a duration was accepted that its own printed form was refused as.
    @Test func theWholeDurationIsBounded() throws {
        #expect(throws: InputError.outOfRange(field: "d", value: "200000h200000h", allowed: "at most a few years")) {
            try Duration.parse("200000h200000h", field: "d")
        }
        #expect(try Duration.parse("200000h", field: "d") == .seconds(720_000_000))
    }

    @Test("percentages", arguments: [("80%", 0.8), ("80", 0.8), ("12.5%", 0.125), ("100%", 1.0), ("0%", 0.0)])
    func percentages(text: String, fraction: Double) throws {
        #expect(try Percentage(parsing: text, field: "load").fraction == fraction)
    }

    /// Found by `make fuzz` (percentage): `stressd mem --fill-to 1e30%`, and
    /// the same field through the API, trapped printing the value for its
    /// error, taking the agent down.
    @Test func percentagesFarOutOfRangePrint() throws {
        #expect(try Percentage(parsing: "1e30%", field: "fill-to").description == "1e+30%")
        #expect(try Percentage(parsing: "-4e300", field: "load").wireValue == "-4e+300%")
    }

    /// Found by `make fuzz` (size-or-share): the stored form rounded to two
    /// decimals, so `--leave .101%` read back from a record as 0.1%.
    @Test func percentagesAreStoredWithEveryDigit() throws {
        let share = try Percentage(parsing: ".101%", field: "leave")
        #expect(share.wireValue == "0.101%")
        #expect(share.description == "0.1%")
        #expect(try Percentage(parsing: share.wireValue, field: "leave") == share)
    }

    @Test("bad percentages", arguments: ["", "%", "abc", "80%%", "nan", "1e999"])
    func badPercentages(text: String) {
        #expect(throws: InputError.self) { try Percentage(parsing: text, field: "load") }
    }

    @Test("sizes in powers of 1024", arguments: [
        ("4096", UInt64(4096)), ("512M", 512 << 20), ("2G", 2 << 30), ("2GiB", 2 << 30), ("2gb", 2 << 30),
        ("1.5G", 3 << 29), ("1K", 1024), ("10B", 10),
    ])
    func sizes(text: String, bytes: UInt64) throws {
        #expect(try ByteCount(parsing: text, field: "size").bytes == bytes)
    }

    @Test("bad sizes", arguments: ["-1G", "12XB", "", "G", "1.5.5G", "5Gi", "1KGB"])
    func badSizes(text: String) {
        #expect(throws: InputError.self) { try ByteCount(parsing: text, field: "size") }
    }

    @Test func sizesPrintWithBinaryUnits() {
        #expect(ByteCount(bytes: 512 << 20).description == "512 MiB")
        #expect(ByteCount(bytes: 3 << 29).description == "1.5 GiB")
        #expect(ByteCount(bytes: 100).description == "100 B")
    }

    @Test("cores", arguments: [("1", CoreSelection.count(1)), ("all", .all), ("ALL", .all), (" 4 ", .count(4))])
    func cores(text: String, expected: CoreSelection) throws {
        #expect(try CoreSelection(parsing: text) == expected)
    }

    @Test("bad cores", arguments: ["0", "-1", "two", "", "1.5"])
    func badCores(text: String) {
        #expect(throws: InputError.self) { try CoreSelection(parsing: text) }
    }

    @Test func errorMessagesNameTheFieldAndTheFix() {
        let error = InputError.malformed(field: "load", value: "x", expected: "a percentage such as 80% or 12.5%")
        #expect(error.description == "invalid load 'x': expected a percentage such as 80% or 12.5%")
        #expect(error.field == "load")
    }
}

@Suite("Fixed-point numbers in human output")
struct FixedPointTests {
    @Test("prints like printf's %.Nf", arguments: [
        (0.125, 2, "0.13"), (3.0, 1, "3.0"), (12.345, 0, "12"), (0.04, 1, "0.0"), (99.96, 1, "100.0"),
        (-1.25, 1, "-1.3"), (-0.01, 1, "0.0"), (6.5, 3, "6.500"), (0.001, 3, "0.001"), (1234567.891, 2, "1234567.89"),
    ])
    func fixed(value: Double, decimals: Int, text: String) {
        #expect(value.fixed(decimals) == text)
    }

    @Test func fractionsPrintAsPercentages() {
        #expect(0.305.percent(1) == "30.5%")
        #expect(1.0.percent(1) == "100.0%")
        #expect(0.5.percent(0) == "50%")
    }

    @Test func nonFiniteValuesStayReadable() {
        #expect(Double.infinity.fixed(1) == "inf")
        #expect(Double.nan.fixed(2) == "nan")
    }
}
