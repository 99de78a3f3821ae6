import Foundation
import TestSupport

/// A throw-away CA, an agent certificate for 127.0.0.1 and localhost, a
/// client certificate from the same CA, and one from a stranger CA, made
/// with openssl(1) in a temp folder, removed with the last copy of this.
struct TestCertificates {
    let temporary: TemporaryDirectory
    var directory: String { temporary.path.string }

    init() throws {
        temporary = try TemporaryDirectory()
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: path("agent.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: path("client.ext"), atomically: true, encoding: .utf8)
        for ca in ["ca", "stranger-ca"] {
            try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", path("\(ca).key"), "-out", path("\(ca).pem"), "-days", "2", "-subj", "/CN=\(ca)"])
        }
        try issue("agent", by: "ca")
        try issue("client", by: "ca")
        try issue("stranger", by: "stranger-ca", extensions: "client.ext")
    }

    func path(_ name: String) -> String { directory + "/" + name }

    private func issue(_ name: String, by ca: String, extensions: String? = nil) throws {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=\(name)"])
        try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(ca).pem"), "-CAkey", path("\(ca).key"),
                     "-CAcreateserial", "-out", path("\(name).pem"), "-days", "2", "-extfile", path(extensions ?? "\(name).ext")])
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")) failed"])
        }
    }
}
