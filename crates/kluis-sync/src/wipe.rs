//! The device's side of a remote wipe (the flow is in
//! `kluis_protocol::wipe`; the erasing in `kluis_core::profile::wipe`).
//!
//! [`carry_out`] signs the receipt with the device key while the vault is
//! still open, has the profile erase itself (the key goes with the vault),
//! then sends the report. [`send_pending`] sends a report left by a wipe
//! whose answer was lost; the app calls it until the store has it.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use kluis_core::{PendingWipeReport, Profile, SyncIdentity, WIPE_ERASES};
use kluis_protocol::wipe::{WipeReason, WipeReceipt, WipeReport, WipeReportAnswer};
use rustls::SignatureScheme;
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;

use crate::blocking;
use crate::client::{post_without_certificate, roots_from};
use crate::error::{SyncError, SyncResult};

/// The schemes a device key may sign a receipt with, best first: the keys
/// Kluis makes are ECDSA P-256.
const SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ECDSA_NISTP256_SHA256,
    SignatureScheme::ECDSA_NISTP384_SHA384,
    SignatureScheme::ED25519,
    SignatureScheme::RSA_PSS_SHA256,
];

/// A receipt for `device_id`, signed with the identity's key.
pub fn signed_report(
    identity: &SyncIdentity,
    device_id: &str,
    reason: WipeReason,
    wiped_at: &str,
) -> SyncResult<WipeReport> {
    let identity_error = |error: &dyn std::fmt::Display| SyncError::Identity(error.to_string());
    let receipt = serde_json::to_string(&WipeReceipt {
        device_id: device_id.to_owned(),
        reason,
        wiped_at: wiped_at.to_owned(),
        erased: WIPE_ERASES.iter().map(|item| (*item).to_owned()).collect(),
    })
    .map_err(|error| SyncError::Unexpected(error.to_string()))?;
    let key = PrivateKeyDer::from_pem_slice(identity.key_pem.as_bytes())
        .map_err(|error| identity_error(&error))?;
    let signer = rustls::crypto::ring::sign::any_supported_type(&key)
        .map_err(|error| identity_error(&error))?
        .choose_scheme(SCHEMES)
        .ok_or_else(|| SyncError::Identity("the device key cannot sign a receipt".to_owned()))?;
    let signature = signer
        .sign(receipt.as_bytes())
        .map_err(|error| identity_error(&error))?;
    Ok(WipeReport {
        receipt,
        certificate_pem: identity.certificate_pem.clone(),
        signature: Some(STANDARD.encode(signature)),
        scheme: Some(u16::from(signer.scheme())),
    })
}

/// Carries out a wipe IT asked for: signs the receipt, erases the profile,
/// sends the report. The profile is erased even when the report cannot be
/// sent; it is then left for [`send_pending`].
pub async fn carry_out(profile: &Arc<Profile>, device_id: &str) -> SyncResult<WipeReportAnswer> {
    let identity = blocking::run(profile, |profile| profile.sync_identity())
        .await?
        .ok_or(SyncError::UnknownDevice)?;
    let wiped_at = chrono_now();
    let pending = PendingWipeReport {
        store_url: identity.server_url.clone(),
        ca_pem: identity.ca_pem.clone(),
        report: signed_report(&identity, device_id, WipeReason::Remote, &wiped_at)?,
        wiped_at,
    };
    // The key leaves memory with the identity before the profile is erased.
    drop(identity);
    let erased = pending.clone();
    blocking::run(profile, move |profile| profile.wipe(&erased)).await?;
    send_pending(profile).await
}

/// Sends the report a wipe left, if there is one, and removes it once the
/// store has it.
pub async fn send_pending(profile: &Arc<Profile>) -> SyncResult<WipeReportAnswer> {
    let pending = blocking::run(profile, |profile| profile.pending_wipe_report())
        .await?
        .ok_or_else(|| SyncError::Unexpected("no wipe report is waiting".to_owned()))?;
    let answer = send(&pending).await?;
    blocking::run(profile, |profile| profile.wipe_reported()).await?;
    tracing::info!(
        verified = answer.verified,
        "the store has this device's wipe report"
    );
    Ok(answer)
}

/// One attempt to deliver a report: over TLS to the store, trusting only the
/// provider's CA, without a client certificate.
pub async fn send(pending: &PendingWipeReport) -> SyncResult<WipeReportAnswer> {
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|error| SyncError::Identity(error.to_string()))?
    .with_root_certificates(roots_from(&pending.ca_pem)?)
    .with_no_client_auth();
    post_without_certificate(tls, &pending.store_url, "/v1/wipe-report", &pending.report).await
}

fn chrono_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
