//! The offline grace period (SPEC §7): a policy may say how many days a
//! device may go without reaching its store. When they have run out, the
//! unlock must reach the store before the vault is used: if it does, the
//! period starts again; if it does not, the vault is locked again or, as the
//! policy may say, the device erases itself (with a signed receipt, the key
//! being at hand while the vault is open).
//!
//! The check runs right after the passphrase opened the vault, because the
//! device's key, which the store asks for, is inside the vault.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kluis_core::{CoreError, PendingWipeReport, Profile};
use kluis_protocol::managed::GraceAction;
use kluis_protocol::wipe::WipeReason;

use crate::blocking;
use crate::client::{SyncClient, SyncConfig};
use crate::error::{SyncError, SyncResult};
use crate::wipe;

/// What the check did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraceOutcome {
    /// The period has not run out (or the policy sets none).
    Within,
    /// It had run out, and the store was reached: it starts again.
    Renewed,
    /// It had run out and the store could not be reached: the vault was
    /// locked again.
    Locked { days: u32 },
    /// It had run out, the store could not be reached, and the policy says
    /// erase: the device erased itself, its report waits for the store.
    Wiped,
}

/// Enforces the period on an unlocked vault at `now`.
pub async fn enforce(profile: &Arc<Profile>, now: DateTime<Utc>) -> SyncResult<GraceOutcome> {
    let Some(days) = profile.offline_grace_expired(now) else {
        return Ok(GraceOutcome::Within);
    };
    let identity = blocking::run(profile, |profile| profile.sync_identity())
        .await?
        .ok_or(SyncError::UnknownDevice)?;
    let policy = profile.policy();
    let reached = async {
        let client = SyncClient::new(
            SyncConfig::new(
                identity.server_url.clone(),
                identity.ca_pem.clone(),
                identity.certificate_pem.clone(),
                identity.key_pem.clone(),
            )
            .under_policy(&policy),
        )?;
        client.check_server().await?;
        client.whoami().await
    }
    .await;
    match reached {
        Ok(me) => {
            let device_id = me.device_id.clone();
            blocking::run(profile, move |profile| {
                profile.note_store_contact(&device_id, now)
            })
            .await?;
            tracing::info!("the store was reached: the offline grace period starts again");
            Ok(GraceOutcome::Renewed)
        }
        Err(error) => {
            tracing::warn!(%error, days, "offline grace period over and the store is out of reach");
            match policy.offline_grace_action {
                GraceAction::Lock => {
                    drop(identity);
                    profile.lock();
                    Ok(GraceOutcome::Locked { days })
                }
                GraceAction::Wipe => {
                    let device_id = profile
                        .device_card()
                        .map(|card| card.device_id)
                        .ok_or(SyncError::Vault(CoreError::NotFound("device card")))?;
                    let wiped_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                    let pending = PendingWipeReport {
                        store_url: identity.server_url.clone(),
                        ca_pem: identity.ca_pem.clone(),
                        report: wipe::signed_report(
                            &identity,
                            &device_id,
                            WipeReason::OfflineGrace,
                            &wiped_at,
                        )?,
                        wiped_at,
                    };
                    drop(identity);
                    blocking::run(profile, move |profile| profile.wipe(&pending)).await?;
                    Ok(GraceOutcome::Wiped)
                }
            }
        }
    }
}
