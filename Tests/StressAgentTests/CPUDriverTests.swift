import Foundation
import LinuxHost
@testable import StressAgent
import StressCore
import Testing

/// The CPU driver's arithmetic over one sample. Its samples go into the
/// report as JSON, which has no NaN or infinity: JSONEncoder refuses them,
/// so one such number would make the whole report unencodable.
@Suite("CPU driver: worker loads per sample")
struct CPUDriverTests {
    @Test func aLoadIsTheWorkersCPUTimeOverTheWallTime() throws {
        let second = UInt64(SystemConstants.clockTicksPerSecond)
        let loads = try #require(CPUDriver.loads(from: [0, second], to: [second, 2 * second], seconds: 2))
        #expect(loads == [0.5, 0.5])
    }

    @Test func anIntervalInWhichNoTimePassedHasNoLoads() {
        #expect(CPUDriver.loads(from: [0, 0], to: [10, 0], seconds: 0) == nil)
    }

    @Test func jsonHasNoNaNSoAReportWithOneCannotBeEncoded() {
        let sample = CPUSample(elapsed: 1, workerLoads: [.nan], scopeBusyCores: nil, targetPerWorker: 0.5)
        #expect(throws: EncodingError.self) { try JSONCoding.encoder.encode(sample) }
    }
}
