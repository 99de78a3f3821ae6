import SystemPackage

extension FillDirectory {
    /// How the space is taken.
    public enum Method: String, Sendable, Codable {
        /// fallocate(2): blocks reserved without writing them; milliseconds per GiB.
        case fallocate
        /// Zeros written in 4 MiB blocks, where the file system cannot
        /// fallocate (EOPNOTSUPP); about a second per GiB.
        case writeZeros = "write-zeros"
    }

    /// Why a fill stopped short of what it was asked for. Both are outcomes,
    /// not errors: the space is gone, which is what a fill is for.
    public enum Shortfall: String, Sendable, Codable {
        /// ENOSPC: the file system is full.
        case diskFull = "disk-full"
        /// EDQUOT: the user's (or project's) quota is used up.
        case quota

        /// The shortfall an errno means, if it means one.
        init?(_ errno: Errno) {
            switch errno {
            case .noSpace: self = .diskFull
            case .diskQuotaExceeded: self = .quota
            default: return nil
            }
        }
    }

    /// What one `fill` call did.
    public struct FillResult: Sendable, Hashable {
        /// Space taken by this call.
        public var bytes: UInt64
        /// The method used last: `.writeZeros` when `.fallocate` fell back.
        public var method: Method
        /// Set when it stopped at ENOSPC or EDQUOT; nil when it took all it
        /// was asked for, or `shouldContinue` stopped it.
        public var shortfall: Shortfall?

        public init(bytes: UInt64, method: Method, shortfall: Shortfall?) {
            self.bytes = bytes
            self.method = method
            self.shortfall = shortfall
        }
    }
}
