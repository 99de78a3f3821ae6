import Glibc
import LinuxHost
import Testing

/// The supervisor's end of a worker's report pipe keeps the latest whole
/// line, however many came or how they were cut.
struct ReportPipeTests {
    func write(_ pipe: ReportPipe, _ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(pipe.childEnd, $0.baseAddress, $0.count) }
    }

    @Test func keepsTheLatestWholeLine() throws {
        let pipe = try ReportPipe()
        #expect(pipe.readLatest() == nil, "nothing written, nothing read, and no blocking")
        write(pipe, "one\ntwo\nthr")
        #expect(pipe.readLatest() == "two", "a line cut short is not a line yet")
        write(pipe, "ee\n")
        #expect(pipe.readLatest() == "three")
        #expect(pipe.readLatest() == "three", "the latest line stays when nothing new came")
        pipe.closeChildEnd()
        #expect(pipe.readLatest() == "three", "end of file keeps it too")
    }
}
