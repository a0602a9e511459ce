//! The device's side of enrollment (see `kluis_protocol::enrollment`): make
//! a key pair here, send a certificate request with the token's secret to
//! the store's enrollment route, and hand back everything the vault keeps.
//! The key never leaves this process except into the vault.
//!
//! Before it has a certificate the device trusts the store by the token
//! alone: the store sends the provider's CA in its chain, and the chain is
//! verified against that CA only if its SHA-256 is the token's
//! `ca_fingerprint`.

use std::sync::Arc;

use kluis_core::{Role, SyncIdentity};
use kluis_protocol::PROTOCOL_VERSION;
use kluis_protocol::enrollment::{EnrollRequest, EnrollResponse, EnrollmentToken, key_words};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::client::post_without_certificate;
use crate::error::{SyncError, SyncResult};

/// What enrollment gives the device: its identity for the vault, whom it is
/// for, and the words of its key to read to IT.
pub struct Enrolled {
    pub identity: SyncIdentity,
    pub practitioner_id: String,
    pub practitioner_name: String,
    pub role: Role,
    pub key_words: String,
}

impl std::fmt::Debug for Enrolled {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Enrolled")
            .field("practitioner_id", &self.practitioner_id)
            .field("key_words", &self.key_words)
            .finish_non_exhaustive()
    }
}

/// Enrolls this device with the store the token names.
pub async fn enroll(token: &EnrollmentToken) -> SyncResult<Enrolled> {
    let identity_error = |error: &dyn std::fmt::Display| SyncError::Identity(error.to_string());
    let key = rcgen::KeyPair::generate().map_err(|error| identity_error(&error))?;
    let request_pem = rcgen::CertificateParams::default()
        .serialize_request(&key)
        .and_then(|request| request.pem())
        .map_err(|error| identity_error(&error))?;
    let words = key_words(key.public_key_raw());
    let key_pem = Zeroizing::new(key.serialize_pem());
    drop(key);

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| identity_error(&error))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedCa {
            fingerprint: token.ca_fingerprint.clone(),
            provider,
        }))
        .with_no_client_auth();
    let answer: EnrollResponse = post_without_certificate(
        tls,
        &token.store_url,
        "/v1/enroll",
        &EnrollRequest {
            protocol_version: PROTOCOL_VERSION,
            secret: token.secret.clone(),
            device_id: token.device_id.clone(),
            csr_pem: request_pem,
        },
    )
    .await?;
    // The CA the store names must be the one the token names: the vault
    // trusts it from now on.
    let ca = CertificateDer::pem_slice_iter(answer.ca_pem.as_bytes())
        .next()
        .and_then(Result::ok)
        .ok_or_else(|| SyncError::Unexpected("the store sent no CA".to_owned()))?;
    if hex::encode(Sha256::digest(ca.as_ref())) != token.ca_fingerprint {
        return Err(SyncError::NotTrusted(
            "the store's CA is not the one the token names".to_owned(),
        ));
    }
    Ok(Enrolled {
        identity: SyncIdentity {
            server_url: token.store_url.trim_end_matches('/').to_owned(),
            ca_pem: answer.ca_pem,
            certificate_pem: answer.certificate_pem,
            key_pem,
        },
        practitioner_id: answer.practitioner_id,
        practitioner_name: answer.practitioner_name,
        role: answer.role,
        key_words: words,
    })
}

/// Trusts a store whose chain ends in the CA with the pinned fingerprint,
/// and verifies the chain against that CA as any TLS client would.
#[derive(Debug)]
struct PinnedCa {
    fingerprint: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl PinnedCa {
    fn verifier(
        &self,
        intermediates: &[CertificateDer<'_>],
    ) -> Result<Arc<WebPkiServerVerifier>, rustls::Error> {
        let ca = intermediates
            .iter()
            .find(|certificate| {
                hex::encode(Sha256::digest(certificate.as_ref())) == self.fingerprint
            })
            .ok_or(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer,
            ))?;
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.clone().into_owned()).map_err(|_| {
            rustls::Error::InvalidCertificate(rustls::CertificateError::BadEncoding)
        })?;
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&self.provider))
            .build()
            .map_err(|error| rustls::Error::General(error.to_string()))
    }
}

impl ServerCertVerifier for PinnedCa {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier(intermediates)?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
