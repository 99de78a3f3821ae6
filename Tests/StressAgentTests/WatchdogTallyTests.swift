import Foundation
import LinuxHost
@testable import StressAgent
import TestSupport
import Testing

/// The watchdogs' undo count kept in the state directory for `/metrics`.
@Suite struct WatchdogTallyTests {
    @Test func countsFromZeroAndKeepsEveryUndo() throws {
        let state = try TemporaryDirectory()
        let tally = WatchdogTally(stateDirectory: state.path)
        #expect(tally.count() == 0, "no file yet: nothing undone")
        try tally.add()
        try tally.add()
        #expect(tally.count() == 2)
        #expect(try String(contentsOfFile: tally.file.string, encoding: .utf8) == "2\n")
        let mode = try FileManager.default.attributesOfItem(atPath: tally.file.string)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// A file that does not hold a count, or a link where the file should
    /// be, reads as no count (the scrape leaves its counter where it was);
    /// the next undo replaces it rather than writing through the link.
    @Test func refusesALinkAndWhatIsNotACount() throws {
        let state = try TemporaryDirectory()
        let tally = WatchdogTally(stateDirectory: state.path)
        try "twelve\n".write(toFile: tally.file.string, atomically: false, encoding: .utf8)
        #expect(tally.count() == nil)

        try FileManager.default.removeItem(atPath: tally.file.string)
        let elsewhere = state.path.appending("elsewhere").string
        try "7\n".write(toFile: elsewhere, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: tally.file.string, withDestinationPath: elsewhere)
        #expect(tally.count() == nil, "a link is not followed")
        try tally.add()
        #expect(tally.count() == 1)
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "7\n", "the link's target is untouched")
    }
}
