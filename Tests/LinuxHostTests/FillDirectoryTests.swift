import Foundation
import Glibc
import LinuxHost
import SystemPackage
import Testing

@Suite("Fill folders", .serialized, .enabled(if: TmpfsMount.isAvailable, "needs root and tmpfs mounts"))
struct FillDirectoryTests {
    static let mebibyte: UInt64 = 1 << 20

    @Test("takes the space and gives it back", arguments: [FillDirectory.Method.fallocate, .writeZeros])
    func takesAndGivesBack(method: FillDirectory.Method) throws {
        let disk = try TmpfsMount(sizeMebibytes: 64)
        let before = try FileSystemUsage(path: disk.path).availableBytes
        let fill = try FillDirectory.create(in: disk.path, name: ".stressd-fill-test")

        let result = try fill.fill(bytes: 32 * Self.mebibyte, method: method)

        #expect(result.bytes == 32 * Self.mebibyte)
        #expect(result.method == method)
        #expect(result.shortfall == nil)
        let during = try FileSystemUsage(path: disk.path).availableBytes
        #expect(before - during >= 32 * Self.mebibyte)
        try fill.remove()
        #expect(!fill.exists)
        #expect(try FileSystemUsage(path: disk.path).availableBytes == before)
        try fill.remove()
    }

    @Test("a full disk is a result, and nothing is left after remove", arguments: [FillDirectory.Method.fallocate, .writeZeros])
    func fullDiskIsAResult(method: FillDirectory.Method) throws {
        let disk = try TmpfsMount(sizeMebibytes: 16)
        let fill = try FillDirectory.create(in: disk.path, name: ".stressd-fill-full")

        let result = try fill.fill(bytes: 64 * Self.mebibyte, method: method)

        #expect(result.shortfall == .diskFull)
        #expect(result.bytes >= 14 * Self.mebibyte && result.bytes <= 16 * Self.mebibyte)
        try fill.remove()
        #expect(try Directory.entries(disk.path).isEmpty)
    }

    @Test func filesItDidNotWriteAreNeverDeleted() throws {
        let disk = try TmpfsMount(sizeMebibytes: 8)
        let fill = try FillDirectory.create(in: disk.path, name: ".stressd-fill-foreign")
        _ = try fill.fill(bytes: Self.mebibyte)
        let foreign = fill.path.appending("precious.db")
        FileManager.default.createFile(atPath: foreign.string, contents: Data("keep".utf8))

        #expect(throws: HostError.self) { try fill.remove() }

        #expect(FileManager.default.fileExists(atPath: foreign.string))
        #expect(try Directory.entries(fill.path) == ["precious.db"])
    }

    @Test func creationErrorsKeepTheirErrno() throws {
        let readOnly = try TmpfsMount(sizeMebibytes: 1, readOnly: true)
        let cases: [(FilePath, Errno)] = [
            (readOnly.path, .readOnlyFileSystem),
            ("/nonexistent/stressd-parent", .noSuchFileOrDirectory),
            ("/etc/hostname", .notDirectory),
        ]
        for (parent, expected) in cases {
            let error = try #require(throws: HostError.self) { try FillDirectory.create(in: parent, name: ".stressd-fill-x") }
            #expect(error.errno == expected, "\(parent)")
        }
        #expect(try FileSystemUsage(path: readOnly.path).readOnly)
    }

    @Test func stopsWhenAskedBetweenBlocks() throws {
        let disk = try TmpfsMount(sizeMebibytes: 64)
        let fill = try FillDirectory.create(in: disk.path, name: ".stressd-fill-stop")
        var calls = 0
        let result = try fill.fill(bytes: 32 * Self.mebibyte, method: .writeZeros) {
            calls += 1
            return calls <= 3
        }
        #expect(result.bytes < 32 * Self.mebibyte)
        #expect(result.shortfall == nil)
        try fill.remove()
    }
}
