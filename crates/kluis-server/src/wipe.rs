//! The store's side of a remote wipe (SPEC §7; the flow is described in
//! `kluis_protocol::wipe`): IT marks a device, the device erases itself and
//! reports, and the store checks the report's signature against the
//! certificate it enrolled for the device before it records the receipt and
//! revokes the certificate.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use kluis_protocol::wipe::{WipeReport, WipeReportAnswer};
use rustls::SignatureScheme;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::{ServerError, ServerResult};
use crate::pki;
use crate::store::Store;

/// Checks a wipe report and records it in the device's history.
///
/// The certificate must be the one the store enrolled for the device the
/// receipt names. A signed report whose signature holds is the device's
/// receipt: the device is marked wiped and its certificate revoked. A
/// report without a signature (the device erased itself while locked and
/// had no key) is recorded as the device's claim and changes nothing else.
/// A signature that does not hold is refused.
pub fn record<S: Store>(store: &S, report: &WipeReport) -> ServerResult<WipeReportAnswer> {
    let receipt = report.receipt()?;
    let device = store
        .device(&receipt.device_id)?
        .ok_or(ServerError::NotFound("device"))?;
    let certificate = CertificateDer::from_pem_slice(report.certificate_pem.as_bytes())
        .map_err(|_| ServerError::Malformed("the certificate is not PEM"))?;
    if pki::fingerprint(&certificate) != device.cert_fingerprint {
        return Err(ServerError::Forbidden(
            "the certificate is not the one enrolled for this device",
        ));
    }
    let verified = match (&report.signature, report.scheme) {
        (Some(signature), Some(scheme)) => {
            let signature = STANDARD
                .decode(signature)
                .map_err(|_| ServerError::Malformed("the signature is not base64"))?;
            if !signature_holds(
                &certificate,
                SignatureScheme::from(scheme),
                report.receipt.as_bytes(),
                &signature,
            )? {
                return Err(ServerError::Forbidden(
                    "the wipe receipt's signature does not hold",
                ));
            }
            true
        }
        _ => false,
    };
    let detail =
        serde_json::to_string(report).map_err(|error| ServerError::Storage(error.to_string()))?;
    store.record_wipe(&device.id, &receipt.wiped_at, verified, &detail)?;
    Ok(WipeReportAnswer { verified })
}

/// Whether `signature` over `message` was made with the key of
/// `certificate`, by one of the algorithms rustls accepts for `scheme` in
/// TLS handshakes.
fn signature_holds(
    certificate: &CertificateDer<'_>,
    scheme: SignatureScheme,
    message: &[u8],
    signature: &[u8],
) -> ServerResult<bool> {
    use x509_parser::prelude::FromDer;
    let (_, parsed) = x509_parser::certificate::X509Certificate::from_der(certificate)
        .map_err(|_| ServerError::Malformed("the certificate cannot be read"))?;
    let public_key = &parsed.tbs_certificate.subject_pki.subject_public_key.data;
    let algorithms = rustls::crypto::ring::default_provider().signature_verification_algorithms;
    let candidates = algorithms
        .mapping
        .iter()
        .find(|(known, _)| *known == scheme)
        .map(|(_, candidates)| *candidates)
        .ok_or(ServerError::Malformed(
            "the signature scheme is not supported",
        ))?;
    Ok(candidates.iter().any(|algorithm| {
        algorithm
            .verify_signature(public_key, message, signature)
            .is_ok()
    }))
}
