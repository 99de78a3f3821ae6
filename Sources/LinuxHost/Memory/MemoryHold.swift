import Dispatch
import Glibc
import Synchronization
import SystemPackage

/// Anonymous memory a worker holds resident, grown and shrunk in chunks.
///
/// Each chunk is one mmap(2) with `MAP_POPULATE`, so the kernel faults every
/// page in before mmap returns: the memory is resident (RSS), not merely
/// reserved, and no page is touched from user space. Chunks let a ramp or a
/// `fill-to` resize move in small steps and give memory back with munmap(2)
/// at once. 64 MiB chunks populate as fast as one mapping of the whole size
/// (measured with `bench/mem_hold_chunks.c`, 512 MiB warm: 198 ms in 64 MiB
/// chunks, 197 ms as one mapping), and a failure (ENOMEM) loses at most one
/// chunk's work.
///
/// - Important: not thread-safe, and blocking: `grow` takes as long as the
///   kernel needs to populate the pages (about 0.4 s per GiB here when warm,
///   several times more on the first large touch after the host sat idle).
///   Use it from one dedicated thread.
public final class MemoryHold {
    /// The default largest single mapping.
    public static let defaultChunkBytes: UInt64 = 64 << 20

    /// The largest single mapping, a whole number of pages.
    public let chunkBytes: UInt64
    /// Bytes asked for and held, resident. Mappings are rounded up to whole
    /// pages, so the kernel may count up to a page more per chunk.
    public private(set) var heldBytes: UInt64 = 0
    /// Whether `lock()` was called: every chunk, old and new, is mlock'ed.
    public private(set) var isLocked = false

    private var chunks: [(address: UnsafeMutableRawPointer, length: Int)] = []

    /// - Parameter chunkBytes: the largest single mapping, rounded up to a page.
    public init(chunkBytes: UInt64 = MemoryHold.defaultChunkBytes) {
        let page = SystemConstants.pageSize
        self.chunkBytes = max(page, (chunkBytes + page - 1) / page * page)
    }

    deinit {
        for chunk in chunks { munmap(chunk.address, chunk.length) }
    }

    /// Grows until `bytes` are held, chunk by chunk; nothing if as much
    /// is held already. On failure, what was mapped so far stays held.
    /// - Throws: `mmap` ENOMEM when the kernel refuses more memory; once
    ///   locked, `mmap(MAP_LOCKED)` EAGAIN past RLIMIT_MEMLOCK without
    ///   CAP_IPC_LOCK.
    ///
    /// The chunks are populated by as many threads as there are CPUs at
    /// once: the kernel zeroes each page it faults in, on the faulting
    /// thread's CPU, so one thread populates at one core's speed, and a
    /// second one, on another chunk, nearly doubles it (mmap takes the
    /// address space's lock for writing only to place the mapping; pages
    /// are faulted in under its read side).
    ///
    /// Once locked, new chunks are mapped `MAP_LOCKED`: locked as they are
    /// populated, which costs 2% over an unlocked populate, where an mlock(2)
    /// after it costs 30% (measured with `bench/mem_hold_chunks.c`).
    public func grow(to bytes: UInt64) throws(HostError) {
        var lengths: [Int] = []
        var planned = heldBytes
        while planned < bytes {
            let length = min(chunkBytes, bytes - planned)
            lengths.append(Int(length))
            planned += length
        }
        guard !lengths.isEmpty else { return }
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | (isLocked ? MAP_LOCKED : 0)
        let sizes = lengths
        let mapped = Mutex<[(address: UInt, length: Int)]>([])
        let failure = Mutex<Errno?>(nil)
        // A single chunk (a ramp's step) is mapped on this thread: dispatch
        // runs one iteration in place.
        DispatchQueue.concurrentPerform(iterations: sizes.count) { index in
            let length = sizes[index]
            guard let address = mmap(nil, length, PROT_READ | PROT_WRITE, flags, -1, 0), address != MAP_FAILED else {
                let error = Errno(rawValue: Glibc.errno)
                failure.withLock { $0 = $0 ?? error }
                return
            }
            mapped.withLock { $0.append((UInt(bitPattern: address), length)) }
        }
        for chunk in mapped.withLock({ $0 }) {
            chunks.append((UnsafeMutableRawPointer(bitPattern: chunk.address)!, chunk.length))
            heldBytes += UInt64(chunk.length)
        }
        if let error = failure.withLock({ $0 }) {
            throw .system(call: isLocked ? "mmap(MAP_LOCKED)" : "mmap", path: nil, errno: error)
        }
    }

    /// Grows by `bytes`: one step of a rate-limited ramp.
    public func grow(by bytes: UInt64) throws(HostError) {
        let (target, overflow) = heldBytes.addingReportingOverflow(bytes)
        try grow(to: overflow ? .max : target)
    }

    /// Gives memory back from the end until `bytes` are held: whole chunks
    /// are unmapped, and the tail of the last one kept, on a page boundary.
    public func shrink(to bytes: UInt64) {
        while heldBytes > bytes, let last = chunks.popLast() {
            heldBytes -= UInt64(last.length)
            let keep = bytes > heldBytes ? Int(bytes - heldBytes) : 0
            let page = Int(SystemConstants.pageSize)
            let keptPages = (keep + page - 1) / page * page
            guard keep > 0 else {
                munmap(last.address, last.length)
                continue
            }
            if keptPages < last.length {
                munmap(last.address + keptPages, last.length - keptPages)
            }
            chunks.append((last.address, keep))
            heldBytes += UInt64(keep)
            return
        }
    }

    /// Locks what is held into RAM with mlock(2), and every chunk grown later,
    /// so the kernel cannot swap it out. All or nothing: if a chunk cannot be
    /// locked, the ones locked by this call are unlocked again.
    /// - Throws: `mlock` with EPERM (no CAP_IPC_LOCK and RLIMIT_MEMLOCK is 0),
    ///   ENOMEM (more than RLIMIT_MEMLOCK without CAP_IPC_LOCK) or EAGAIN
    ///   (some pages could not be locked).
    /// - Important: needs CAP_IPC_LOCK, or an RLIMIT_MEMLOCK above the size.
    public func lock() throws(HostError) {
        for (index, chunk) in chunks.enumerated() where mlock(chunk.address, chunk.length) != 0 {
            let error = Errno(rawValue: Glibc.errno)
            for locked in chunks[..<index] { munlock(locked.address, locked.length) }
            throw .system(call: "mlock", path: nil, errno: error)
        }
        isLocked = true
    }
}
