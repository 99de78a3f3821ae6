import Foundation
import Glibc
@testable import LinuxHost
import StressCore
import SystemPackage
import TestSupport
import Testing

/// Fills on the host's own /tmp (ext4 here) and on small file systems the
/// tests mount themselves. Serialized: the /tmp test reads the free space of
/// a file system other tests also write to.
@Suite("Disk fill", .serialized)
struct DiskFillTests {
    static let mebibyte: UInt64 = 1 << 20

    func files(in fill: FillDirectory) throws -> [String: UInt64] {
        var sizes: [String: UInt64] = [:]
        for name in try Directory.entries(fill.path) {
            var info = stat()
            #expect(stat(fill.path.appending(name).string, &info) == 0)
            sizes[name] = UInt64(info.st_size)
        }
        return sizes
    }

    @Test func fallocateOnTheHostsTmpTakesTheSpaceAndRemoveGivesItBack() throws {
        let parent = try TemporaryDirectory()
        let before = try FileSystemUsage(path: parent.path).availableBytes
        let fill = try FillDirectory.create(in: try OpenDirectory.open(parent.path), name: ".stressd-fill-host", fileBytes: 16 * Self.mebibyte)
        var info = stat()
        #expect(stat(fill.path.string, &info) == 0 && info.st_mode & 0o777 == 0o700)

        let result = try fill.fill(bytes: 64 * Self.mebibyte)

        #expect(result == FillDirectory.FillResult(bytes: 64 * Self.mebibyte, method: .fallocate, shortfall: nil))
        #expect(fill.filledBytes == 64 * Self.mebibyte)
        #expect(try files(in: fill) == [
            "fill-0000": 16 * Self.mebibyte, "fill-0001": 16 * Self.mebibyte,
            "fill-0002": 16 * Self.mebibyte, "fill-0003": 16 * Self.mebibyte,
        ])
        let during = try FileSystemUsage(path: parent.path).availableBytes
        #expect(before >= during + 60 * Self.mebibyte, "statvfs sees the space taken")

        try fill.remove()
        #expect(!Directory.exists(fill.path))
        let after = try FileSystemUsage(path: parent.path).availableBytes
        #expect(after + 4 * Self.mebibyte >= before, "the space came back")
        try fill.remove()
    }

    @Test func writeZerosCanBeForced() throws {
        let parent = try TemporaryDirectory()
        let fill = try FillDirectory.create(in: try OpenDirectory.open(parent.path), name: ".stressd-fill-zeros", fileBytes: 5 * Self.mebibyte)
        let result = try fill.fill(bytes: 12 * Self.mebibyte + 7, method: .writeZeros)
        #expect(result == FillDirectory.FillResult(bytes: 12 * Self.mebibyte + 7, method: .writeZeros, shortfall: nil))
        #expect(try files(in: fill) == ["fill-0000": 5 * Self.mebibyte, "fill-0001": 5 * Self.mebibyte, "fill-0002": 2 * Self.mebibyte + 7])
        let data = try #require(FileManager.default.contents(atPath: fill.path.appending("fill-0002").string))
        #expect(data.allSatisfy { $0 == 0 })
        try fill.remove()
        #expect(!Directory.exists(fill.path))
    }

    @Test func laterFillsAddFilesAndTheTotalAddsUp() throws {
        let parent = try TemporaryDirectory()
        let fill = try FillDirectory.create(in: try OpenDirectory.open(parent.path), name: ".stressd-fill-twice")
        _ = try fill.fill(bytes: Self.mebibyte)
        _ = try fill.fill(bytes: 2 * Self.mebibyte, method: .writeZeros)
        #expect(fill.filledBytes == 3 * Self.mebibyte)
        #expect(try files(in: fill) == ["fill-0000": Self.mebibyte, "fill-0001": 2 * Self.mebibyte])
        try fill.remove()
    }

    @Test func aStopRequestEndsAWriteFillBetweenBlocks() throws {
        let parent = try TemporaryDirectory()
        let fill = try FillDirectory.create(in: try OpenDirectory.open(parent.path), name: ".stressd-fill-stop")
        var asked = 0
        let result = try fill.fill(bytes: 64 * Self.mebibyte, method: .writeZeros) {
            asked += 1
            return asked <= 3  // once before the file, then two 4 MiB blocks
        }
        #expect(result == FillDirectory.FillResult(bytes: 8 * Self.mebibyte, method: .writeZeros, shortfall: nil))
        let stoppedAtOnce = try fill.fill(bytes: 64 * Self.mebibyte) { false }
        #expect(stoppedAtOnce.bytes == 0)
        #expect(try files(in: fill).count == 1, "no file is created once asked to stop")
        try fill.remove()
        #expect(!Directory.exists(fill.path))
    }

    @Test(.enabled(if: DiskTestMount.isAvailable, "needs root and mounts"))
    func whereFallocateIsNotSupportedItWritesZeros() throws {
        let ramfs = try DiskTestMount(.ramfs)
        let fill = try FillDirectory.create(in: try OpenDirectory.open(ramfs.path), name: ".stressd-fill-ramfs")
        let result = try fill.fill(bytes: 6 * Self.mebibyte)
        #expect(result == FillDirectory.FillResult(bytes: 6 * Self.mebibyte, method: .writeZeros, shortfall: nil))
        #expect(try files(in: fill) == ["fill-0000": 6 * Self.mebibyte])
        try fill.remove()
        #expect(try Directory.entries(ramfs.path).isEmpty)
    }

    @Test(
        "a full ext4 is a result, and remove leaves nothing",
        .enabled(if: DiskTestMount.ext4LoopIsAvailable, "needs root and loop-mounted ext4"),
        arguments: [FillDirectory.Method.fallocate, .writeZeros])
    func fullExt4IsAResult(method: FillDirectory.Method) throws {
        let disk = try DiskTestMount(.ext4Loop(mebibytes: 32))
        let free = try FileSystemUsage(path: disk.path).availableBytes
        let fill = try FillDirectory.create(in: try OpenDirectory.open(disk.path), name: ".stressd-fill-full", fileBytes: 8 * Self.mebibyte)

        let result = try fill.fill(bytes: 64 * Self.mebibyte, method: method)

        #expect(result.shortfall == .diskFull)
        #expect(result.method == method)
        #expect(result.bytes + 2 * Self.mebibyte >= free && result.bytes <= free, "took nearly all of \(free): \(result.bytes)")
        #expect(try FileSystemUsage(path: disk.path).availableBytes < 2 * Self.mebibyte)
        let sizes = try files(in: fill)
        #expect(sizes.values.reduce(0, +) == result.bytes, "the bytes reported are the bytes in the files")

        try fill.remove()
        #expect(try Directory.entries(disk.path) == ["lost+found"])
        #expect(try FileSystemUsage(path: disk.path).availableBytes + Self.mebibyte >= free)
    }

    @Test(
        "a full tmpfs is a result, and remove leaves nothing",
        .enabled(if: DiskTestMount.isAvailable, "needs root and mounts"),
        arguments: [FillDirectory.Method.fallocate, .writeZeros])
    func fullTmpfsIsAResult(method: FillDirectory.Method) throws {
        let disk = try DiskTestMount(.tmpfs(mebibytes: 16))
        let fill = try FillDirectory.create(in: try OpenDirectory.open(disk.path), name: ".stressd-fill-full", fileBytes: 3 * Self.mebibyte)
        let result = try fill.fill(bytes: 64 * Self.mebibyte, method: method)
        #expect(result.shortfall == .diskFull)
        #expect(result.bytes >= 15 * Self.mebibyte && result.bytes <= 16 * Self.mebibyte)
        #expect(try files(in: fill).values.reduce(0, +) == result.bytes)
        try fill.remove()
        #expect(try Directory.entries(disk.path).isEmpty)
    }

    @Test func quotaAndFullDiskAreShortfallsAndOtherErrorsAreNot() {
        // EDQUOT cannot be produced here: this kernel has neither tmpfs nor
        // ext4 (QFMT_V2) quotas. The mapping is what the fill relies on.
        #expect(FillDirectory.Shortfall(.diskQuotaExceeded) == .quota)
        #expect(FillDirectory.Shortfall(.noSpace) == .diskFull)
        #expect(FillDirectory.Shortfall(.ioError) == nil)
    }

    @Test func creationErrorsKeepTheirErrno() throws {
        let parent = try TemporaryDirectory()
        let file = parent.path.appending("a-file")
        #expect(FileManager.default.createFile(atPath: file.string, contents: Data()))
        _ = try FillDirectory.create(in: try OpenDirectory.open(parent.path), name: "taken")
        let cases: [(FilePath, String, Errno)] = [
            (parent.path.appending("missing"), ".stressd-fill-1", .noSuchFileOrDirectory),
            (file, ".stressd-fill-1", .notDirectory),
            (parent.path, "taken", .fileExists),
            (parent.path, "a/b", .invalidArgument),
            (parent.path, "..", .invalidArgument),
            (parent.path, ".", .invalidArgument),
            (parent.path, "", .invalidArgument),
        ]
        for (parent, name, expected) in cases {
            let error = try #require(throws: HostError.self) { try FillDirectory.create(in: try OpenDirectory.open(parent), name: name) }
            #expect(error.errno == expected, "\(parent) / '\(name)'")
        }
        #expect(try Directory.entries(parent.path).sorted() == ["a-file", "taken"], "nothing created by the failures")
    }

    @Test(.enabled(if: DiskTestMount.isAvailable, "needs root and mounts"))
    func aReadOnlyFileSystemIsEROFS() throws {
        let readOnly = try DiskTestMount(.tmpfs(mebibytes: 1, readOnly: true))
        let error = try #require(throws: HostError.self) { try FillDirectory.create(in: try OpenDirectory.open(readOnly.path), name: ".stressd-fill-ro") }
        #expect(error == .system(call: "mkdir", path: readOnly.path.appending(".stressd-fill-ro").string, errno: .readOnlyFileSystem))
    }

    @Test(.enabled(if: getuid() == 0, "drops CAP_DAC_OVERRIDE on a thread"))
    func aParentWithoutWritePermissionIsEACCES() throws {
        let parent = try TemporaryDirectory()
        chmod(parent.path.string, 0o555)
        defer { chmod(parent.path.string, 0o700) }
        let path = parent.path
        let errno = try WithoutCapabilities.run(dropping: [WithoutCapabilities.dacOverride, WithoutCapabilities.dacReadSearch]) {
            do throws(HostError) {
                _ = try FillDirectory.create(in: try OpenDirectory.open(path), name: ".stressd-fill-denied")
                return Errno?.none
            } catch {
                return error.errno
            }
        }
        #expect(errno == .permissionDenied)
        #expect(try Directory.entries(parent.path).isEmpty)
    }

    @Test func foreignEntriesAreNeverDeleted() throws {
        let parent = try TemporaryDirectory()
        let fill = try FillDirectory.create(in: try OpenDirectory.open(parent.path), name: ".stressd-fill-foreign")
        _ = try fill.fill(bytes: 2 * Self.mebibyte)
        let foreign = ["precious.db", "fill-", "fill-12a", "fill-٣", "Fill-0001"]
        for name in foreign {
            #expect(FileManager.default.createFile(atPath: fill.path.appending(name).string, contents: Data("keep".utf8)))
        }
        mkdir(fill.path.appending("fill-9999").string, 0o700)
        #expect(FileManager.default.createFile(atPath: fill.path.appending("fill-9999/inside").string, contents: Data()))

        let error = try #require(throws: HostError.self) { try fill.remove() }
        #expect(error == .system(call: "unlink", path: fill.path.appending("fill-9999").string, errno: .isDirectory))
        #expect(Set(try Directory.entries(fill.path)) == Set(foreign + ["fill-9999"]), "only fill-0000 went")
        #expect(try Directory.entries(fill.path.appending("fill-9999")) == ["inside"])

        unlink(fill.path.appending("fill-9999/inside").string)
        rmdir(fill.path.appending("fill-9999").string)
        let notEmpty = try #require(throws: HostError.self) { try fill.remove() }
        #expect(notEmpty == .system(call: "rmdir", path: fill.path.string, errno: .directoryNotEmpty))
        #expect(Set(try Directory.entries(fill.path)) == Set(foreign))
    }

    @Test func removeIsIdempotentAndAReopenedHandleCanCleanUpAfterACrash() throws {
        let parent = try TemporaryDirectory()
        let original = try FillDirectory.create(in: try OpenDirectory.open(parent.path), name: ".stressd-fill-crash", fileBytes: Self.mebibyte)
        _ = try original.fill(bytes: 3 * Self.mebibyte)
        let record = FillFolderRecord(
            path: original.path.string, parent: try OpenDirectory.open(parent.path).identity(), owner: geteuid())

        let recovered = try #require(try FillDirectory.reopen(record, expectedOwner: geteuid()))
        #expect(recovered.isInPlace)
        try recovered.remove()
        #expect(!Directory.exists(original.path) && !original.isInPlace)
        try recovered.remove()
        #expect(try FillDirectory.reopen(record, expectedOwner: geteuid()) == nil, "nothing there: nothing to undo")
        #expect(try Directory.entries(parent.path).isEmpty)
    }

    @Test func reopenRefusesAFileWhereTheFolderWas() throws {
        let parent = try TemporaryDirectory()
        let file = parent.path.appending(".stressd-fill-file")
        #expect(FileManager.default.createFile(atPath: file.string, contents: Data("keep".utf8)))
        let record = FillFolderRecord(path: file.string, parent: nil, owner: nil)
        let error = try #require(throws: HostError.self) { try FillDirectory.reopen(record, expectedOwner: geteuid()) }
        #expect(error.description.contains("not the folder stressd made"), "\(error)")
        #expect(FileManager.default.contents(atPath: file.string) == Data("keep".utf8))
    }

    @Test("fill file names", arguments: [
        ("fill-0000", true), ("fill-0042", true), ("fill-10000", true),
        ("fill-", false), ("fill-12a", false), ("fill--1", false), ("fill-٣", false),
        ("xfill-0001", false), ("precious.db", false), ("", false),
    ])
    func fillFileNames(name: String, isFill: Bool) {
        #expect(FillDirectory.isFillFile(name) == isFill)
    }

    @Test func fileNamesArePaddedToFourDigits() {
        #expect(FillDirectory.fileName(0) == "fill-0000")
        #expect(FillDirectory.fileName(42) == "fill-0042")
        #expect(FillDirectory.fileName(12345) == "fill-12345")
    }
}
