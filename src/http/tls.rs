//! TLS for the shared client. The platform's root certificates are read on the first TLS
//! handshake, not at start-up: reading and parsing them was half the work of a one-scenario
//! run (19 of 36 million instructions), and a suite against an http:// address never needs
//! them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// Certificate files a project names in `[run]`, as absolute paths.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TlsFiles {
    /// `ca_cert`: PEM certificates of authorities trusted besides the platform's own (a
    /// company CA, a test CA).
    pub ca_cert: Option<PathBuf>,
    /// `client_cert`: the PEM certificate (chain) presented to servers that ask for one
    /// (mutual TLS).
    pub client_cert: Option<PathBuf>,
    /// `client_key`: its PEM private key; without it, the key is read from `client_cert`.
    pub client_key: Option<PathBuf>,
}

/// The client's TLS settings: certificates verified against the platform's roots (and the
/// `ca_cert` authorities), or, with `insecure`, accepted whoever signed them (self-signed test
/// servers); the client certificate presented when a server asks for one. Handshake
/// signatures are verified either way. HTTP/2 and HTTP/1.1 are offered by ALPN.
pub fn client_config(insecure: bool, files: &TlsFiles) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let extra_roots = match &files.ca_cert {
        Some(path) => certificates(path, "ca_cert")?,
        None => Vec::new(),
    };
    let verifier = Arc::new(Verifier {
        provider: Arc::clone(&provider),
        platform: (!insecure).then(OnceLock::new),
        extra_roots,
    });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match &files.client_cert {
        Some(cert) => {
            let chain = certificates(cert, "client_cert")?;
            let (key_path, setting) = match &files.client_key {
                Some(key) => (key.as_path(), "client_key"),
                None => (cert.as_path(), "client_cert"),
            };
            let key = PrivateKeyDer::from_pem_file(key_path).map_err(|e| {
                format!(
                    "`[run] {setting}` ({}): no private key could be read: {e}{}",
                    key_path.display(),
                    if files.client_key.is_none() {
                        "; name the key file in `[run] client_key`"
                    } else {
                        ""
                    }
                )
            })?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| format!("`[run] client_cert` and its key do not go together: {e}"))?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Every certificate of a PEM file named by `[run] setting`; none is an error.
fn certificates(path: &Path, setting: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let shown = path.display();
    let read = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("`[run] {setting}` ({shown}) cannot be read: {e}"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("`[run] {setting}` ({shown}) is not valid PEM: {e}"))?;
    if read.is_empty() {
        return Err(format!(
            "`[run] {setting}` ({shown}) holds no certificate (a PEM `-----BEGIN CERTIFICATE-----` block)"
        ));
    }
    Ok(read)
}

type Platform = OnceLock<Result<Arc<rustls_platform_verifier::Verifier>, String>>;

#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    /// The platform's verifier, made when the first certificate arrives; `None` when
    /// certificates are accepted whoever signed them (`[run] insecure = true`).
    platform: Option<Platform>,
    /// `[run] ca_cert` authorities, trusted besides the platform's.
    extra_roots: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(platform) = &self.platform else {
            return Ok(ServerCertVerified::assertion());
        };
        let verifier = platform
            .get_or_init(|| {
                let provider = Arc::clone(&self.provider);
                match self.extra_roots.as_slice() {
                    [] => rustls_platform_verifier::Verifier::new(provider),
                    extra => rustls_platform_verifier::Verifier::new_with_extra_roots(
                        extra.to_vec(),
                        provider,
                    ),
                }
                .map(Arc::new)
                .map_err(|e| format!("cannot load the system's root certificates: {e}"))
            })
            .as_ref()
            .map_err(|e| rustls::Error::General(e.clone()))?;
        verifier.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    // Handshake signatures are verified in both modes.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
