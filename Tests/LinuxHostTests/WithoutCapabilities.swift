import Foundation
import Glibc
import SystemPackage

/// Runs work on a new thread whose effective capabilities lack some that
/// root has, so a root test run can hit the errors an unprivileged agent
/// gets (EACCES, mlock's ENOMEM). capset(2) changes only the calling thread,
/// and the thread ends with the work: the rest of the test process keeps
/// its capabilities.
enum WithoutCapabilities {
    static let dacOverride: UInt32 = 1  // CAP_DAC_OVERRIDE
    static let dacReadSearch: UInt32 = 2  // CAP_DAC_READ_SEARCH
    static let ipcLock: UInt32 = 14  // CAP_IPC_LOCK

    private typealias CapabilityCall = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int32

    private final class Outcome<T>: @unchecked Sendable {
        var value: Result<T, Errno> = .failure(.noSuchProcess)
    }

    static func run<T: Sendable>(dropping capabilities: [UInt32], _ work: @escaping @Sendable () -> T) throws -> T {
        guard let get = dlsym(nil, "capget"), let set = dlsym(nil, "capset") else { throw Errno.notSupported }
        let capget = unsafeBitCast(get, to: CapabilityCall.self)
        let capset = unsafeBitCast(set, to: CapabilityCall.self)
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            // _LINUX_CAPABILITY_VERSION_3, pid 0 = this thread; two sets of
            // {effective, permitted, inheritable} for capabilities 0-31, 32-63.
            var header: (version: UInt32, pid: Int32) = (0x2008_0522, 0)
            var data = [UInt32](repeating: 0, count: 6)
            let changed = withUnsafeMutableBytes(of: &header) { header in
                data.withUnsafeMutableBytes { data -> Bool in
                    guard let headerAddress = header.baseAddress, let dataAddress = data.baseAddress,
                          capget(headerAddress, dataAddress) == 0
                    else { return false }
                    for capability in capabilities {
                        let word = Int(capability / 32) * 3
                        data.storeBytes(
                            of: data.load(fromByteOffset: word * 4, as: UInt32.self) & ~(1 << (capability % 32)),
                            toByteOffset: word * 4, as: UInt32.self)
                    }
                    return capset(headerAddress, dataAddress) == 0
                }
            }
            outcome.value = changed ? .success(work()) : .failure(Errno(rawValue: errno))
        }
        thread.start()
        done.wait()
        return try outcome.value.get()
    }
}
