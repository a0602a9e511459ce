//! What the app keeps between commands: the profile, the idle clock and the
//! timing of the last lock.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use kluis_core::secret::Passphrase;
use kluis_core::{CoreResult, Kluis};

use crate::commands::{AppStatus, CreateVaultRequest};

#[derive(Debug)]
pub struct AppState {
    pub kluis: Kluis,
    pub demo_passphrase: Option<String>,
    pub idle: IdleClock,
    /// Developer and test override that can only shorten the idle timeout.
    pub idle_timeout_override: Option<Duration>,
    lock_triggered_at: Mutex<Option<Instant>>,
}

impl AppState {
    pub fn new(
        kluis: Kluis,
        demo_passphrase: Option<String>,
        idle_timeout_override: Option<Duration>,
    ) -> Self {
        Self {
            kluis,
            demo_passphrase,
            idle: IdleClock::default(),
            idle_timeout_override,
            lock_triggered_at: Mutex::new(None),
        }
    }

    pub fn app_status(&self) -> AppStatus {
        let status = self.kluis.status();
        AppStatus {
            vault_exists: status.vault_exists,
            unlocked: status.unlocked,
            demo_passphrase: self.demo_passphrase.clone(),
            language: self.kluis.settings().language,
        }
    }

    pub fn create_vault(&self, request: CreateVaultRequest) -> CoreResult<()> {
        let passphrase = Passphrase::new(request.passphrase);
        self.kluis
            .create_vault(&passphrase, &request.practitioner_name, request.role)
    }

    pub fn unlock(&self, passphrase: Passphrase) -> CoreResult<()> {
        let timings = self.kluis.unlock(&passphrase)?;
        tracing::info!(
            kdf_ms = timings.key_derivation.as_millis() as u64,
            open_ms = timings.database_open.as_millis() as u64,
            "unlock timings"
        );
        Ok(())
    }

    /// The idle timeout in force: the user's setting, shortened by the override.
    pub fn idle_timeout(&self) -> Duration {
        let configured = Duration::from_secs(u64::from(self.kluis.settings().idle_timeout_seconds));
        self.idle_timeout_override
            .map_or(configured, |override_value| override_value.min(configured))
    }

    pub fn mark_lock_triggered(&self, at: Instant) {
        *self
            .lock_triggered_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(at);
    }

    /// The new lock screen reports that it is on screen; logged for the lock
    /// latency benchmark (trigger → lock screen shown).
    pub fn report_lock_screen_shown(&self) {
        if let Some(triggered) = self
            .lock_triggered_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            tracing::info!(
                ms = triggered.elapsed().as_millis() as u64,
                "lock screen shown after trigger"
            );
        }
    }
}

/// When the user last did something in the app.
#[derive(Debug)]
pub struct IdleClock {
    last_activity: Mutex<Instant>,
}

impl Default for IdleClock {
    fn default() -> Self {
        Self {
            last_activity: Mutex::new(Instant::now()),
        }
    }
}

impl IdleClock {
    pub fn record_activity(&self) {
        *self
            .last_activity
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
    }

    pub fn idle_for(&self) -> Duration {
        self.last_activity
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .elapsed()
    }
}
