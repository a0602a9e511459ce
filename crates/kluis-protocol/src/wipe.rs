//! Remote wipe (SPEC §7): what a device tells the store after it erased
//! itself.
//!
//! IT marks a device (`kluis-admin wipe`); the store says so in `whoami`; at
//! its next round the device signs a [`WipeReceipt`] with its device key,
//! erases its vault and the key with it, and sends the [`WipeReport`] to
//! `POST /v1/wipe-report`. That route is reached without a client
//! certificate, because by then the device no longer has its key: the
//! signature, checked against the certificate the store enrolled, is what
//! proves the report came from the device. A device that erased itself
//! while locked (too many wrong passphrases, the offline grace period run
//! out) has no key to sign with and sends its report unsigned; the store
//! records it as the device's claim, not as proof.

use serde::{Deserialize, Serialize};

use crate::ProtocolError;

/// Why a device erased itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum WipeReason {
    /// IT asked (`kluis-admin wipe`).
    Remote,
    /// The policy's number of wrong passphrases was reached.
    FailedUnlocks,
    /// The policy's offline grace period ran out.
    OfflineGrace,
}

/// What the device states it did. Signed as the exact bytes of its JSON
/// ([`WipeReport::receipt`]), so the store checks what was signed, not a
/// re-encoding of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WipeReceipt {
    pub device_id: String,
    pub reason: WipeReason,
    /// UTC, RFC 3339: when the device erased itself.
    pub wiped_at: String,
    /// What was erased, in words (`vault`, `keyring secret`, `settings`, …).
    pub erased: Vec<String>,
}

/// `POST /v1/wipe-report`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WipeReport {
    /// The [`WipeReceipt`] as JSON: the bytes the signature covers.
    pub receipt: String,
    /// The device's certificate (PEM): the store checks it is the one it
    /// enrolled for the device, then checks the signature with its key.
    pub certificate_pem: String,
    /// Base64 of the signature over `receipt`; `None` when the device had no
    /// key to sign with (it erased itself while locked).
    pub signature: Option<String>,
    /// The TLS signature scheme's number (e.g. `0x0403`, ECDSA P-256
    /// SHA-256) the signature was made with.
    pub scheme: Option<u16>,
}

/// The longest report the store reads: a certificate and a short receipt.
pub const MAX_WIPE_REPORT_BYTES: usize = 16 * 1024;

impl WipeReport {
    /// The receipt inside, checked for shape (the signature is the store's
    /// to check).
    pub fn receipt(&self) -> Result<WipeReceipt, ProtocolError> {
        let invalid = |field, reason| ProtocolError::Invalid { field, reason };
        let receipt: WipeReceipt = serde_json::from_str(&self.receipt)
            .map_err(|_| invalid("receipt", "not a wipe receipt"))?;
        if receipt.device_id.is_empty() || receipt.device_id.len() > 64 {
            return Err(invalid("device_id", "names no device"));
        }
        if chrono::DateTime::parse_from_rfc3339(&receipt.wiped_at).is_err() {
            return Err(invalid("wiped_at", "not a time"));
        }
        if self.signature.is_some() != self.scheme.is_some() {
            return Err(invalid(
                "signature",
                "a signature needs its scheme, and a scheme its signature",
            ));
        }
        Ok(receipt)
    }
}

/// The store's answer to a wipe report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WipeReportAnswer {
    /// Whether the signature was checked and held: a signed report is the
    /// device's receipt; an unsigned one is recorded as its claim.
    pub verified: bool,
}
