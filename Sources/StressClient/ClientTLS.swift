import NIOSSL
import StressCore

/// How the CLI checks an `https://` agent and proves who it is: the CA that
/// signed the agent's certificate (default: the system's trust store) and,
/// for an agent that requires mutual TLS, a client certificate and key.
public struct ClientTLS: Sendable, Equatable {
    public var caFile: String?
    public var certificateFile: String?
    public var keyFile: String?

    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    public var isEmpty: Bool { self == ClientTLS() }

    /// Reads the files now, so a bad path is an input error, not a failed handshake.
    func context() throws(InputError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile {
            configuration.trustRoots = .certificates(try InputError.loading("ca-file", caFile, as: "PEM") { try NIOSSLCertificate.fromPEMFile($0) })
        }
        switch (certificateFile, keyFile) {
        case (nil, nil):
            break
        case (let certificateFile?, let keyFile?):
            let chain = try InputError.loading("cert-file", certificateFile, as: "PEM") { try NIOSSLCertificate.fromPEMFile($0) }
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(try InputError.loading("key-file", keyFile, as: "PEM") { try NIOSSLPrivateKey(file: $0, format: .pem) })
        default:
            throw .rejected(field: certificateFile == nil ? "cert-file" : "key-file", reason: "a client certificate needs both --cert-file and --key-file")
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .rejected(field: "ca-file", reason: "cannot set up TLS: \(error)")
        }
    }
}
