import Glibc
import LinuxHost
import SystemPackage
import TestSupport
import Testing

@Suite struct FileSystemUsageTests {
    @Test func multipliesBlocksByFragmentSize() {
        let usage = FileSystemUsage(fragmentSize: 4096, blocks: 1000, freeBlocks: 300, availableBlocks: 250)
        #expect(usage == FileSystemUsage(fragmentSize: 1, blocks: 4_096_000, freeBlocks: 1_228_800, availableBlocks: 1_024_000))
        #expect(usage.sizeBytes == 4_096_000)
        #expect(usage.freeBytes == 1_228_800)
        #expect(usage.availableBytes == 1_024_000)
    }

    @Test func saturatesInsteadOfOverflowing() {
        let usage = FileSystemUsage(fragmentSize: 1 << 20, blocks: .max / 2, freeBlocks: 1, availableBlocks: 1)
        #expect(usage.sizeBytes == .max)
        #expect(usage.freeBytes == 1 << 20)
    }

    @Test func statsTheTemporaryDirectory() throws {
        let usage = try FileSystemUsage(path: "/tmp")
        #expect(usage.sizeBytes > 0)
        #expect(usage.availableBytes <= usage.freeBytes)
        #expect(usage.freeBytes <= usage.sizeBytes)
    }

    @Test func missingPathKeepsErrno() throws {
        let error = try #require(throws: HostError.self) { try FileSystemUsage(path: "/nonexistent/stressd") }
        #expect(error.errno == .noSuchFileOrDirectory)
    }
}

@Suite struct OnlineCPUsTests {
    @Test func readsTheAffinityMask() throws {
        let allowed = try OnlineCPUs.allowed()
        #expect(allowed.count >= 1)
        #expect(allowed.count <= sysconf(Int32(_SC_NPROCESSORS_CONF)))
        #expect(allowed.cpus.allSatisfy { $0 >= 0 && $0 < sysconf(Int32(_SC_NPROCESSORS_CONF)) })
        // What taskset -c and /proc/self/status print.
        let status = try TextFile.read(FilePath("/proc/self/status"), limit: 1 << 16)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        #expect(allowed.description == line.split(separator: "\t").last.map(String.init))
    }
}
