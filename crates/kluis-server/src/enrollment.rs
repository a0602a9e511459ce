//! The store's side of enrollment (SPEC §7; the flow is described in
//! `kluis_protocol::enrollment`): IT makes a token, a device redeems it
//! once with a certificate request, and the store signs the request's key
//! for the device the token was made for.
//!
//! A token is refused with its own code when it is unknown, used, expired
//! or made for another device. Wrong tokens are counted per address; after
//! [`MAX_FAILURES`] in [`FAILURE_WINDOW`] that address is refused for the
//! rest of the window, without the store even looking, so the secret
//! cannot be guessed by trying.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use kluis_protocol::enrollment::{
    EnrollRequest, EnrollResponse, EnrollmentToken, key_words, new_secret, secret_hash,
};
use kluis_protocol::{ErrorCode, PROTOCOL_VERSION};

use crate::error::{ServerError, ServerResult};
use crate::pki::{self, CertificateAuthority};
use crate::store::{Device, Store, StoredToken, timestamp};

/// Wrong tokens an address may send in one window.
pub const MAX_FAILURES: u32 = 5;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(10 * 60);

/// Makes a one-time token for `device_id` of `practitioner_id`, valid for
/// `lifetime`. The device id must be new: a token never re-enrolls a device
/// that exists (IT revokes it and enrolls a new one).
pub fn make_token<S: Store>(
    store: &S,
    ca: &CertificateAuthority,
    store_url: &str,
    practitioner_id: &str,
    device_id: &str,
    lifetime: chrono::Duration,
    policy: Option<kluis_protocol::managed::ManagedPolicy>,
) -> ServerResult<EnrollmentToken> {
    let now = Utc::now();
    let token = EnrollmentToken {
        store_url: store_url.to_owned(),
        ca_fingerprint: pki::fingerprint(&ca.certificate_der()),
        device_id: device_id.to_owned(),
        secret: new_secret(),
        expires_at: timestamp(now + lifetime),
        policy,
    };
    token.validate()?;
    if lifetime <= chrono::Duration::zero() {
        return Err(ServerError::Invalid("token lifetime".to_owned()));
    }
    store.transaction(|transaction| {
        if transaction.practitioner(practitioner_id)?.is_none() {
            return Err(ServerError::NotFound("practitioner"));
        }
        if transaction.device_exists(device_id)? {
            return Err(ServerError::Invalid(format!(
                "device {device_id} is enrolled already"
            )));
        }
        Ok(())
    })?;
    store.add_enrollment_token(&StoredToken {
        secret_hash: secret_hash(&token.secret),
        practitioner_id: practitioner_id.to_owned(),
        device_id: device_id.to_owned(),
        created_at: timestamp(now),
        expires_at: token.expires_at.clone(),
        used_at: None,
    })?;
    Ok(token)
}

/// Redeems a token: checks it, signs the request's key for the token's
/// device, adds the device and marks the token used, in one transaction.
pub fn enroll<S: Store>(
    store: &S,
    ca: &CertificateAuthority,
    request: &EnrollRequest,
    now: DateTime<Utc>,
) -> ServerResult<(EnrollResponse, String)> {
    request.validate()?;
    let hash = secret_hash(&request.secret);
    store.transaction(|transaction| {
        let token = transaction
            .enrollment_token(&hash)?
            .ok_or(ServerError::Enrollment(ErrorCode::TokenUnknown))?;
        if token.used_at.is_some() {
            return Err(ServerError::Enrollment(ErrorCode::TokenUsed));
        }
        let expires_at = DateTime::parse_from_rfc3339(&token.expires_at)
            .map_err(|_| ServerError::Storage("a token's expiry is damaged".to_owned()))?;
        if now >= expires_at {
            return Err(ServerError::Enrollment(ErrorCode::TokenExpired));
        }
        if token.device_id != request.device_id {
            return Err(ServerError::Enrollment(ErrorCode::TokenForAnotherDevice));
        }
        let practitioner = transaction
            .practitioner(&token.practitioner_id)?
            .ok_or(ServerError::NotFound("practitioner"))?;
        let signed = ca.sign_device_request(&token.device_id, &request.csr_pem)?;
        let words = key_words(&signed.public_key);
        transaction.add_device(&Device {
            created_at: timestamp(now),
            ..Device::new(
                token.device_id.clone(),
                practitioner.id.clone(),
                signed.fingerprint,
                Some(signed.serial),
                Some(words.clone()),
            )
        })?;
        transaction.use_enrollment_token(&hash, &timestamp(now))?;
        Ok((
            EnrollResponse {
                protocol_version: PROTOCOL_VERSION,
                certificate_pem: signed.certificate_pem,
                ca_pem: ca.certificate_pem(),
                practitioner_id: practitioner.id,
                practitioner_name: practitioner.display_name,
                role: practitioner.role,
            },
            words,
        ))
    })
}

/// Wrong tokens per address, in windows of [`FAILURE_WINDOW`].
#[derive(Debug, Default)]
pub struct Attempts {
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Attempts {
    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, (Instant, u32)>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Refuses an address that sent too many wrong tokens lately.
    pub fn check(&self, address: IpAddr) -> ServerResult<()> {
        let mut failures = self.failures();
        failures.retain(|_, (since, _)| since.elapsed() < FAILURE_WINDOW);
        match failures.get(&address) {
            Some((_, count)) if *count >= MAX_FAILURES => {
                Err(ServerError::Enrollment(ErrorCode::TooManyAttempts))
            }
            _ => Ok(()),
        }
    }

    /// Counts a refused token: unknown, used, expired or another device's.
    pub fn failed(&self, address: IpAddr) {
        let mut failures = self.failures();
        let entry = failures.entry(address).or_insert((Instant::now(), 0));
        entry.1 += 1;
    }
}
