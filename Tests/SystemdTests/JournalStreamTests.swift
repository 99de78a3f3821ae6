import Foundation
import Glibc
import Systemd
import Testing

/// JOURNAL_STREAM against fstat, as systemd.exec(5) describes it, on a file
/// this test opens.
@Suite("JOURNAL_STREAM detection")
struct JournalStreamTests {
    final class OpenFile {
        let fd: Int32
        let path = NSTemporaryDirectory() + "stressd-journal-stream-\(getpid())-\(UInt32.random(in: 0 ... .max))"

        init() throws {
            fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw POSIXError(.EACCES) }
        }

        var deviceAndInode: (UInt64, UInt64) {
            var status = stat()
            fstat(fd, &status)
            return (UInt64(status.st_dev), UInt64(status.st_ino))
        }

        deinit {
            close(fd)
            unlink(path)
        }
    }

    @Test func theStreamSystemdNamesIsRecognised() throws {
        let file = try OpenFile()
        let (device, inode) = file.deviceAndInode
        #expect(JournalStream.isConnected(file.fd, journalStream: "\(device):\(inode)"))
        #expect(JournalStream(descriptor: file.fd) == JournalStream(device: device, inode: inode))
    }

    @Test func anotherFileIsNotTheJournal() throws {
        let file = try OpenFile()
        let (device, inode) = file.deviceAndInode
        #expect(!JournalStream.isConnected(file.fd, journalStream: "\(device):\(inode + 1)"))
        #expect(!JournalStream.isConnected(file.fd, journalStream: "\(device + 1):\(inode)"))
    }

    @Test func withoutTheVariableOrADescriptorItIsNot() throws {
        let file = try OpenFile()
        #expect(!JournalStream.isConnected(file.fd, journalStream: nil))
        #expect(!JournalStream.isConnected(-1, journalStream: "0:0"), "fstat fails on a closed descriptor")
    }

    @Test("garbage is not a stream", arguments: [
        "", "12", "12:", ":34", "12:34:56", "a:b", "12:3x", " 12:34", "12:34\n", "-1:2", "+1:2", "1.0:2",
        "99999999999999999999999:1",
    ])
    func garbage(text: String) throws {
        #expect(JournalStream(parsing: text) == nil)
        let file = try OpenFile()
        #expect(!JournalStream.isConnected(file.fd, journalStream: text))
    }

    @Test func wellFormedValuesParse() {
        #expect(JournalStream(parsing: "64769:1234567") == JournalStream(device: 64769, inode: 1_234_567))
    }
}
