import CLinux

/// The free pages of malloc's heaps, handed back to the kernel while the
/// agent waits. glibc gives each thread that allocates under contention an
/// arena of its own and keeps what it freed there for reuse: after one
/// attack the agent held 2.5 MiB more anonymous memory in two such arenas
/// than before it, none of it in use.
public enum HeapPages {
    /// malloc_trim(3): every arena's free pages, not only the main heap's
    /// top; true when some memory was released.
    @discardableResult
    public static func release() -> Bool {
        stressd_malloc_trim() == 1
    }
}
