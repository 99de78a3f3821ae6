import Foundation
import Glibc

extension Pipe {
    /// The next line a helper process prints, without its newline; what
    /// came before the end if it ends first. Blocks like read(2): the
    /// helpers these tests start bound their own time.
    func nextLine() -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fileHandleForReading.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
