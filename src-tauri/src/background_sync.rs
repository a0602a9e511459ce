//! Sync in the background while the vault is unlocked (SPEC §5): a round every
//! 15 seconds, sooner when asked, later (with backoff) when the store cannot
//! be reached. A lock stops it: the client, which holds the device's private
//! key, is dropped with the vault's keys, and every vault call fails until the
//! next unlock.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use kluis_core::CoreError;
use kluis_sync::{
    Backoff, DeviceConnection, PullProgress, SyncConfig, SyncError, sync_once_with_progress,
};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tokio::sync::Notify;

use crate::state::AppState;

const ROUND_INTERVAL: Duration = Duration::from_secs(15);
const LOCKED_POLL: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// This device is not connected to a central store.
    NotConfigured,
    Syncing,
    UpToDate,
    /// The store cannot be reached; changes wait and are sent later.
    Offline,
    /// The store refused this device or the secure connection (revoked,
    /// not trusted, wrong region): IT must act.
    Refused,
    /// This device's vault could not take what the store sent or what it
    /// must send: nothing written here is lost, and the next round retries.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub state: SyncState,
    /// Changed records waiting to be sent.
    pub pending: u32,
    /// UTC, RFC 3339.
    pub last_success_at: Option<String>,
    /// What went wrong, in English, for the details line.
    pub message: Option<String>,
    /// Changes the store did not take as they were, waiting for the author.
    pub conflicts: u32,
    /// While a round receives more than one page: how far it is.
    pub progress: Option<SyncProgress>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    pub received: u32,
    pub total: u32,
}

impl From<PullProgress> for SyncProgress {
    fn from(progress: PullProgress) -> Self {
        Self {
            received: u32::try_from(progress.received).unwrap_or(u32::MAX),
            total: u32::try_from(progress.total).unwrap_or(u32::MAX),
        }
    }
}

/// What the shell keeps for sync between rounds.
#[derive(Debug)]
pub struct BackgroundSync {
    status: Mutex<SyncStatus>,
    connection: DeviceConnection,
    wake: Notify,
    /// A directory IT prepared (`server-url`, `ca.pem`, `device.pem`,
    /// `device.key.pem`), imported into the vault at the first unlock.
    provisioning: Option<PathBuf>,
    /// The device id the store asked to erase itself, for the loop to act on.
    wipe_requested: Mutex<Option<String>>,
}

impl BackgroundSync {
    pub fn new(provisioning: Option<PathBuf>) -> Self {
        Self {
            status: Mutex::new(SyncStatus {
                state: SyncState::NotConfigured,
                pending: 0,
                last_success_at: None,
                message: None,
                conflicts: 0,
                progress: None,
            }),
            connection: DeviceConnection::default(),
            wake: Notify::new(),
            provisioning,
            wipe_requested: Mutex::new(None),
        }
    }

    pub fn status(&self) -> SyncStatus {
        self.status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn update(&self, change: impl FnOnce(&mut SyncStatus)) {
        change(
            &mut self
                .status
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }

    /// The directory IT prepared for this device, if the app was given one.
    pub fn provisioning(&self) -> Option<&Path> {
        self.provisioning.as_deref()
    }

    /// The device cannot reach its store for a reason retrying will not mend
    /// (its directory from IT cannot be read): shown until the next unlock.
    pub fn refuse(&self, message: String) {
        self.update(|status| {
            status.state = SyncState::Refused;
            status.message = Some(message);
        });
    }

    /// Asks for a round now (after a change, or from the UI).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Called by the lock: the client holds the device's private key, so it
    /// is dropped, and a round running with it is cancelled.
    pub fn forget_client(&self) {
        self.connection.forget();
    }
}

/// How often a wipe report the store has not taken yet is sent again.
const WIPE_REPORT_RETRY: Duration = Duration::from_secs(30);

pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut backoff = Backoff::default();
        let mut report_sent_at: Option<std::time::Instant> = None;
        loop {
            let state = app.state::<AppState>();
            let requested = state
                .sync
                .wipe_requested
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            if let Some(device_id) = requested {
                crate::wipe::carry_out(&app, &device_id).await;
            }
            if report_sent_at.is_none_or(|at| at.elapsed() >= WIPE_REPORT_RETRY)
                && !state.profile.status().vault_exists
                && matches!(state.profile.pending_wipe_report(), Ok(Some(_)))
            {
                report_sent_at = Some(std::time::Instant::now());
                crate::wipe::send_report(&app).await;
            }
            let wait = if state.profile.status().unlocked {
                match round(&state).await {
                    Ok(()) => {
                        backoff.reset();
                        ROUND_INTERVAL
                    }
                    Err(true) => backoff.next_delay(),
                    Err(false) => ROUND_INTERVAL,
                }
            } else {
                LOCKED_POLL
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = state.sync.wake.notified() => {}
            }
        }
    });
}

/// One round; `Err(true)` when trying again soon may help.
async fn round(state: &AppState) -> Result<(), bool> {
    let sync = &state.sync;
    let identity = match state.profile.sync_identity() {
        Ok(Some(identity)) => identity,
        // A device IT issued gets its identity at unlock (`AppState::unlock`);
        // until then, or when its directory could not be read, there is
        // nothing to connect to.
        Ok(None) => {
            sync.update(|status| {
                if status.state != SyncState::Refused {
                    status.state = SyncState::NotConfigured;
                }
            });
            return Ok(());
        }
        // Locked meanwhile: the next loop turn notices.
        Err(_) => return Ok(()),
    };
    let pending = state.profile.sync_pending_count().unwrap_or_default();
    sync.update(|status| {
        status.state = SyncState::Syncing;
        status.pending = pending;
    });
    // The policy may have changed since the device enrolled (IT installed
    // a new file): a store it no longer allows is not contacted.
    let allowed = state.profile.check_store_allowed(
        &identity.server_url,
        &kluis_sync::ca_fingerprint(&identity.ca_pem).unwrap_or_default(),
    );
    if let Err(error) = allowed {
        sync.refuse(error.to_string());
        return Err(false);
    }
    let policy = state.profile.policy();
    let client = sync.connection.client(|| {
        SyncConfig::new(
            identity.server_url,
            identity.ca_pem,
            identity.certificate_pem,
            identity.key_pem,
        )
        .under_policy(&policy)
    });
    let outcome = match client {
        Ok(client) => {
            let round = sync_once_with_progress(&client, &state.profile, |progress| {
                let shown = progress.is_long().then(|| progress.into());
                sync.update(|status| status.progress = shown);
            });
            let outcome = sync.connection.run(round).await;
            drop(client);
            match outcome {
                Some(outcome) => outcome,
                None => {
                    tracing::info!("the lock cancelled a sync round");
                    sync.update(|status| status.progress = None);
                    return Ok(());
                }
            }
        }
        Err(error) => Err(error),
    };
    let pending = state.profile.sync_pending_count().unwrap_or(pending);
    let conflicts = state.profile.sync_conflict_count().unwrap_or_default();
    sync.update(|status| {
        status.progress = None;
        status.conflicts = conflicts;
    });
    match outcome {
        Ok(report) => {
            tracing::debug!(?report, "sync round");
            sync.update(|status| {
                status.state = SyncState::UpToDate;
                status.pending = pending;
                status.last_success_at =
                    Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                status.message = None;
            });
            Ok(())
        }
        // Locked while the round ran: the next loop turn notices.
        Err(SyncError::Vault(CoreError::Locked)) => Ok(()),
        Err(SyncError::WipeRequested { device_id }) => {
            tracing::warn!("the store asks this device to erase itself");
            *sync
                .wipe_requested
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(device_id);
            sync.wake();
            Err(false)
        }
        Err(SyncError::Vault(error)) => {
            tracing::warn!(%error, "the vault stopped a sync round");
            sync.update(|status| {
                status.state = SyncState::Failed;
                status.pending = pending;
                status.message = Some(error.to_string());
            });
            Err(true)
        }
        Err(error) => {
            let transient = error.is_transient();
            tracing::info!(%error, "sync round failed");
            sync.update(|status| {
                status.state = if transient {
                    SyncState::Offline
                } else {
                    SyncState::Refused
                };
                status.pending = pending;
                status.message = Some(error.to_string());
            });
            Err(transient)
        }
    }
}
