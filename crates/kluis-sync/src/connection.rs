//! The device's connection to its store while the vault is unlocked.
//!
//! The [`SyncClient`] holds the device's private key (inside its TLS
//! configuration, and in every pooled connection). It is made once from the
//! vault's sync identity and must not outlive the lock: [`DeviceConnection::forget`]
//! drops it and cancels every round still running with a clone of it, so
//! that the key is freed (and wiped by the scrubbing allocator) at the lock,
//! not when a stalled request finally times out.

use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::{SyncClient, SyncConfig, SyncResult};

#[derive(Debug, Default)]
pub struct DeviceConnection {
    client: Mutex<Option<SyncClient>>,
    forgotten: Notify,
}

impl DeviceConnection {
    /// The client, made from `config` the first time after an unlock.
    pub fn client(&self, config: impl FnOnce() -> SyncConfig) -> SyncResult<SyncClient> {
        let mut slot = self.slot();
        if let Some(client) = slot.as_ref() {
            return Ok(client.clone());
        }
        let client = SyncClient::new(config())?;
        *slot = Some(client.clone());
        Ok(client)
    }

    /// Runs `round` (which holds a clone of the client) to its end, or until
    /// [`forget`](Self::forget) is called: then the round is dropped where it
    /// stands and `None` comes back.
    pub async fn run<T>(&self, round: impl Future<Output = T>) -> Option<T> {
        let forgotten = self.forgotten.notified();
        tokio::pin!(forgotten);
        // Registered before the round starts: a lock from here on cancels it.
        forgotten.as_mut().enable();
        tokio::select! {
            biased;
            () = forgotten => None,
            outcome = round => Some(outcome),
        }
    }

    /// Called by the lock: drops the client and cancels running rounds.
    pub fn forget(&self) {
        self.slot().take();
        self.forgotten.notify_waiters();
    }

    /// Whether a client is being kept (between an unlock's first round and
    /// the lock).
    pub fn is_connected(&self) -> bool {
        self.slot().is_some()
    }

    fn slot(&self) -> MutexGuard<'_, Option<SyncClient>> {
        self.client.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
