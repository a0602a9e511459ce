//! What the device knows of its store while the vault is locked: the device
//! card, written after each contact with the store.
//!
//! The card holds only public things (the device's enrolled id, the store's
//! address, the provider's CA, the device's certificate) and the time of the
//! last contact. It lets a locked device do what policy asks of it without
//! opening the vault: report a wipe after too many wrong passphrases (the
//! report is then unsigned, the key being inside the erased vault), and tell
//! that its offline grace period ran out.

use chrono::{DateTime, Utc};
use kluis_protocol::wipe::{WipeReason, WipeReceipt, WipeReport};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::profile::Profile;
use crate::profile::wipe::{ERASED, PendingWipeReport};
use crate::vault::fsutil::write_atomically;

/// The card, in the profile directory.
pub const DEVICE_CARD_FILE: &str = "device.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCard {
    /// The id the store enrolled this device as.
    pub device_id: String,
    pub store_url: String,
    pub ca_pem: String,
    pub certificate_pem: String,
    /// UTC, RFC 3339.
    pub last_contact_at: String,
}

impl Profile {
    /// The store answered this device (enrolled as `device_id`) at `at`.
    /// Needs the vault open: the card is made from the vault's identity (a
    /// vault that keeps none, whose connection is made elsewhere, gets no
    /// card).
    pub fn note_store_contact(&self, device_id: &str, at: DateTime<Utc>) -> CoreResult<()> {
        let Some(identity) = self.sync_identity()? else {
            return Ok(());
        };
        let card = DeviceCard {
            device_id: device_id.to_owned(),
            store_url: identity.server_url.clone(),
            ca_pem: identity.ca_pem.clone(),
            certificate_pem: identity.certificate_pem.clone(),
            last_contact_at: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        drop(identity);
        let bytes = serde_json::to_vec_pretty(&card)
            .map_err(|error| CoreError::Internal(error.to_string()))?;
        write_atomically(&self.directory.join(DEVICE_CARD_FILE), &bytes)?;
        // From now on the access log names the device as the store knows it.
        if let Some(session) = self.guard().as_mut() {
            session.device_id = Some(device_id.to_owned());
        }
        Ok(())
    }

    /// The card, if this device has been in contact with a store.
    pub fn device_card(&self) -> Option<DeviceCard> {
        let bytes = std::fs::read(self.directory.join(DEVICE_CARD_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Whether the policy's offline grace period has run out at `now`: the
    /// number of days it allows, when it has. A device that never reached a
    /// store (no card) has no period to run out.
    pub fn offline_grace_expired(&self, now: DateTime<Utc>) -> Option<u32> {
        let days = self.policy().offline_grace_days?;
        let card = self.device_card()?;
        let last = DateTime::parse_from_rfc3339(&card.last_contact_at).ok()?;
        (now.signed_duration_since(last) > chrono::Duration::days(i64::from(days))).then_some(days)
    }

    /// Erases this profile while it is locked, as the policy asks (too many
    /// wrong passphrases, say). The report for the store is unsigned: the
    /// device key was inside the vault. Without a card there is no store to
    /// tell, and nothing but the profile is erased.
    pub fn wipe_locked(&self, reason: WipeReason, at: DateTime<Utc>) -> CoreResult<()> {
        let wiped_at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        match self.device_card() {
            Some(card) => {
                let receipt = serde_json::to_string(&WipeReceipt {
                    device_id: card.device_id.clone(),
                    reason,
                    wiped_at: wiped_at.clone(),
                    erased: ERASED.iter().map(|item| (*item).to_owned()).collect(),
                })
                .map_err(|error| CoreError::Internal(error.to_string()))?;
                self.wipe(&PendingWipeReport {
                    store_url: card.store_url,
                    ca_pem: card.ca_pem,
                    report: WipeReport {
                        receipt,
                        certificate_pem: card.certificate_pem,
                        signature: None,
                        scheme: None,
                    },
                    wiped_at,
                })
            }
            None => self.erase_all_but_the_report(),
        }
    }
}
