extension DiskCapacity {
    /// The file system of an attack's `path` (a fill's, an I/O load's) as
    /// admission read it, if it is one an attack can write to: examined,
    /// writable, with blocks of its own.
    static func writable(_ disk: DiskCapacity?, path: String) throws(InputError) -> DiskCapacity {
        guard let disk else {
            throw .rejected(field: "path", reason: "\(path) could not be examined; give an existing directory")
        }
        guard !disk.readOnly else {
            throw .rejected(field: "path", reason: "\(path) is on a read-only file system; pick a writable one")
        }
        guard disk.sizeBytes > 0 else {
            throw .rejected(field: "path", reason: """
                \(path) is on a file system without blocks to fill (such as proc or sysfs); \
                give a directory on a disk-backed one
                """)
        }
        return disk
    }
}
