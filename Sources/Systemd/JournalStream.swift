import Glibc

/// The journal stream systemd connected a service's stdout/stderr to, as
/// `JOURNAL_STREAM` names it: "device:inode" in decimal. Comparing that with
/// `fstat` of stderr is how systemd.exec(5) says a program learns that its
/// stderr really is the journal (and not a terminal or a file a child of
/// the service redirected it to), so it may log natively instead.
public struct JournalStream: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// Parses `JOURNAL_STREAM`; nil unless it is exactly two decimal numbers
    /// joined by one colon.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }),
              let device = UInt64(parts[0]), let inode = UInt64(parts[1])
        else { return nil }
        self.init(device: device, inode: inode)
    }

    /// The stream an open descriptor refers to; nil if `fstat` fails.
    public init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        self.init(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// True when `journalStream` (the `JOURNAL_STREAM` value) names the file
    /// `descriptor` is open on; false when it is missing, malformed or names
    /// another file.
    public static func isConnected(_ descriptor: Int32, journalStream: String?) -> Bool {
        guard let named = journalStream.flatMap(JournalStream.init(parsing:)) else { return false }
        return JournalStream(descriptor: descriptor) == named
    }

    /// Whether this process's stderr is the journal, per its environment.
    public static var isStandardError: Bool {
        isConnected(STDERR_FILENO, journalStream: getenv("JOURNAL_STREAM").map { String(cString: $0) })
    }
}
