import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import StressCore

/// The agent's TLS: its certificate chain and key, and, with a client CA,
/// mutual TLS (a client must present a certificate that CA signed). Files
/// are read when the configuration is made, so a bad path or key is an
/// input error before the agent listens, not a failed handshake later.
public struct ServerTLS: Sendable, Equatable {
    public var certificateFile: String
    public var keyFile: String
    public var clientCAFile: String?

    public init(certificateFile: String, keyFile: String, clientCAFile: String? = nil) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
    }

    /// TLS 1.2 at least; with `clientCAFile`, client certificates are
    /// required and checked against it (not their host names: clients
    /// have none to check).
    public func configuration() throws(InputError) -> TLSConfiguration {
        let chain = try InputError.loading("tls-cert", certificateFile, as: "PEM") { try NIOSSLCertificate.fromPEMFile($0) }
        guard !chain.isEmpty else {
            throw .rejected(field: "tls-cert", reason: "\(certificateFile) holds no PEM certificate")
        }
        let key = try InputError.loading("tls-key", keyFile, as: "PEM") { try NIOSSLPrivateKey(file: $0, format: .pem) }
        var configuration: TLSConfiguration
        if let clientCAFile {
            let authorities = try InputError.loading("tls-client-ca", clientCAFile, as: "PEM") { try NIOSSLCertificate.fromPEMFile($0) }
            configuration = .makeServerConfigurationWithMTLS(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key),
                trustRoots: .certificates(authorities))
        } else {
            configuration = .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        }
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
