import Glibc
import SystemPackage

/// Anonymous memory a worker holds resident, grown and shrunk in chunks.
///
/// Each chunk is mapped with `MAP_POPULATE`, so the kernel faults every page
/// in during mmap(2) — resident (RSS), not merely reserved — at the speed of
/// one big populate. Chunks (64 MiB) let a ramp or a `fill-to` resize move in
/// small steps and give memory back with munmap(2) at once.
/// - Important: not thread-safe; blocks while the kernel populates pages.
public final class MemoryHold {
    public static let chunkBytes: UInt64 = 64 << 20

    private var chunks: [(address: UnsafeMutableRawPointer, length: Int)] = []
    private var locked = false

    public init() {}

    deinit {
        for chunk in chunks { munmap(chunk.address, chunk.length) }
    }

    /// Bytes mapped and populated.
    public var heldBytes: UInt64 {
        chunks.reduce(0) { $0 + UInt64($1.length) }
    }

    /// Grows to `bytes`, as fast as the kernel allows.
    public func grow(to bytes: UInt64) throws(HostError) {
        while heldBytes < bytes {
            try map(min(Self.chunkBytes, bytes - heldBytes))
        }
    }

    /// Grows by `bytes`: one step of a rate-limited ramp.
    public func grow(by bytes: UInt64) throws(HostError) {
        try grow(to: heldBytes + bytes)
    }

    /// Gives memory back from the end until at most `bytes` are held.
    public func shrink(to bytes: UInt64) {
        while heldBytes > bytes, let last = chunks.popLast() {
            let keep = bytes > heldBytes ? Int(bytes - heldBytes) : 0
            let pageSize = Int(SystemConstants.pageSize)
            let keptPages = (keep + pageSize - 1) / pageSize * pageSize
            if keptPages > 0 && keptPages < last.length {
                munmap(last.address + keptPages, last.length - keptPages)
                chunks.append((last.address, keptPages))
                return
            }
            munmap(last.address, last.length)
        }
    }

    /// Locks what is held, and everything grown later, into RAM (mlock).
    /// - Important: needs CAP_IPC_LOCK or a large enough RLIMIT_MEMLOCK.
    public func lock() throws(HostError) {
        for chunk in chunks where mlock(chunk.address, chunk.length) != 0 {
            throw .system(call: "mlock", path: nil, errno: Errno(rawValue: Glibc.errno))
        }
        locked = true
    }

    private func map(_ length: UInt64) throws(HostError) {
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | (locked ? MAP_LOCKED : 0)
        let address = mmap(nil, Int(length), PROT_READ | PROT_WRITE, flags, -1, 0)
        guard let address, address != MAP_FAILED else {
            throw .system(call: "mmap", path: nil, errno: Errno(rawValue: Glibc.errno))
        }
        chunks.append((address, Int(length)))
    }
}
