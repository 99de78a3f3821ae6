import Foundation
import Glibc
import LinuxHost
import SystemPackage
import Testing

/// These read this test process's own RSS and locked memory, so they run
/// one at a time. Other suites run alongside and allocate and free a few MiB
/// (fill buffers, file contents), so RSS is compared with `noise` of slack.
@Suite("Holding memory", .serialized)
struct MemoryHoldTests {
    static let mebibyte: UInt64 = 1 << 20
    static let noise: UInt64 = 12 << 20

    func status() throws -> ProcessStatus {
        try ProcFS().currentStatus()
    }

    func resident() throws -> UInt64 {
        try #require(try status().residentBytes)
    }

    func locked() throws -> UInt64 {
        try #require(try status().lockedBytes)
    }

    @Test func growingMakesItResidentAndShrinkingGivesItBack() throws {
        let before = try resident()
        let hold = MemoryHold()
        try hold.grow(to: 64 * Self.mebibyte)
        #expect(hold.heldBytes == 64 * Self.mebibyte)
        let at64 = try resident()
        #expect(at64 + Self.noise >= before + 64 * Self.mebibyte, "MAP_POPULATE makes the pages resident, not just mapped")

        try hold.grow(to: 128 * Self.mebibyte)
        #expect(hold.heldBytes == 128 * Self.mebibyte)
        let at128 = try resident()
        #expect(at128 + Self.noise >= at64 + 64 * Self.mebibyte)
        #expect(at128 <= before + 128 * Self.mebibyte + Self.noise, "no more than asked for")

        try hold.grow(to: 100 * Self.mebibyte)
        #expect(hold.heldBytes == 128 * Self.mebibyte, "growing to less than is held does nothing")

        hold.shrink(to: 32 * Self.mebibyte)
        #expect(hold.heldBytes == 32 * Self.mebibyte)
        #expect(try resident() + 96 * Self.mebibyte <= at128 + Self.noise, "munmap gives 96 MiB back at once")

        hold.shrink(to: 0)
        #expect(hold.heldBytes == 0)
        #expect(try resident() <= before + Self.noise)
    }

    @Test func aRampGrowsInSmallStepsAndShrinksInsideAChunk() throws {
        let hold = MemoryHold(chunkBytes: 4 * Self.mebibyte)
        #expect(hold.chunkBytes == 4 * Self.mebibyte)
        let before = try resident()
        for _ in 0..<10 { try hold.grow(by: 6 * Self.mebibyte + 5) }  // chunks of 4 MiB and 2 MiB + 5
        #expect(hold.heldBytes == 60 * Self.mebibyte + 50)
        let grown = try resident()
        #expect(grown + Self.noise >= before + 60 * Self.mebibyte)

        hold.shrink(to: 20 * Self.mebibyte + 4097)
        #expect(hold.heldBytes == 20 * Self.mebibyte + 4097, "the tail of a chunk is unmapped, the rest kept")
        #expect(try resident() + 40 * Self.mebibyte <= grown + Self.noise, "40 MiB given back")
        hold.shrink(to: 30 * Self.mebibyte)
        #expect(hold.heldBytes == 20 * Self.mebibyte + 4097, "shrinking to more than is held does nothing")
    }

    @Test func chunkSizesAreWholePages() {
        #expect(MemoryHold(chunkBytes: 1).chunkBytes == SystemConstants.pageSize)
        #expect(MemoryHold(chunkBytes: 0).chunkBytes == SystemConstants.pageSize)
        #expect(MemoryHold().chunkBytes == MemoryHold.defaultChunkBytes)
    }

    @Test func moreThanTheAddressSpaceIsENOMEMAndNothingIsHeld() throws {
        let hold = MemoryHold(chunkBytes: 1 << 50)
        let error = try #require(throws: HostError.self) { try hold.grow(to: 1 << 50) }
        #expect(error == .system(call: "mmap", path: nil, errno: .noMemory))
        #expect(hold.heldBytes == 0)
        try hold.grow(by: Self.mebibyte)
        #expect(hold.heldBytes == Self.mebibyte, "a failed grow leaves the hold usable")
    }

    @Test(.enabled(if: getuid() == 0, "mlock beyond RLIMIT_MEMLOCK needs CAP_IPC_LOCK"))
    func lockingCoversWhatIsHeldAndWhatGrowsLater() throws {
        let before = try locked()
        let hold = MemoryHold(chunkBytes: 8 * Self.mebibyte)
        try hold.grow(to: 16 * Self.mebibyte)
        #expect(!hold.isLocked)
        #expect(try locked() == before)

        try hold.lock()
        #expect(hold.isLocked)
        #expect(try locked() >= before + 16 * Self.mebibyte)

        try hold.grow(to: 40 * Self.mebibyte)
        #expect(try locked() >= before + 40 * Self.mebibyte, "chunks grown after lock() are locked too")
        hold.shrink(to: 8 * Self.mebibyte)
        #expect(try locked() <= before + 8 * Self.mebibyte)
    }

    struct LockAttempt: Sendable {
        var growError: HostError?
        var lockError: HostError?
        var isLocked: Bool
        var lockedBytes: UInt64?
    }

    @Test(.enabled(if: getuid() == 0 && memlockLimit() != nil, "drops CAP_IPC_LOCK on a thread; needs a finite RLIMIT_MEMLOCK"))
    func withoutCapIPCLockLockingPastTheLimitFailsWhole() throws {
        let limit = try #require(Self.memlockLimit())
        let before = try locked()
        let attempt = try WithoutCapabilities.run(dropping: [WithoutCapabilities.ipcLock]) {
            // Chunks of half the limit: the first two lock, the third fails.
            let hold = MemoryHold(chunkBytes: max(limit / 2, 1 << 20))
            var attempt = LockAttempt(isLocked: false)
            do throws(HostError) { try hold.grow(to: limit + max(limit / 2, 1 << 20)) } catch { attempt.growError = error }
            do throws(HostError) { try hold.lock() } catch { attempt.lockError = error }
            attempt.isLocked = hold.isLocked
            attempt.lockedBytes = (try? ProcFS().currentStatus().lockedBytes) ?? nil
            return attempt
        }
        #expect(attempt.growError == nil, "growing needs no privilege")
        #expect(attempt.lockError == .system(call: "mlock", path: nil, errno: .noMemory))
        #expect(!attempt.isLocked)
        #expect(attempt.lockedBytes == before, "chunks locked before the failure are unlocked again")
    }

    @Test(.enabled(if: getuid() == 0 && memlockLimit() != nil, "drops CAP_IPC_LOCK on a thread; needs a finite RLIMIT_MEMLOCK"))
    func withoutCapIPCLockGrowingLockedPastTheLimitFails() throws {
        let limit = try #require(Self.memlockLimit())
        let outcome = try WithoutCapabilities.run(dropping: [WithoutCapabilities.ipcLock]) { () -> (HostError?, UInt64) in
            let hold = MemoryHold()
            do throws(HostError) {
                try hold.lock()
                try hold.grow(to: limit + (1 << 20))
                return (nil, hold.heldBytes)
            } catch {
                return (error, hold.heldBytes)
            }
        }
        #expect(outcome.0 == .system(call: "mmap(MAP_LOCKED)", path: nil, errno: .resourceTemporarilyUnavailable))
        #expect(outcome.1 == 0)
    }

    /// The soft RLIMIT_MEMLOCK in bytes; nil if unlimited or too large to test.
    static func memlockLimit() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit) == 0, limit.rlim_cur < 256 << 20 else {
            return nil
        }
        return UInt64(limit.rlim_cur)
    }
}
