//! Per-profile settings that are needed before unlock (language on the lock
//! screen, the idle timeout), so they live beside the vault, not inside it.
//! They hold no client data.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::vault::fsutil::write_atomically;

/// The longest idle time before the app locks itself (SPEC §4: policy sets the
/// maximum, see [`crate::profile::policy`]); users may choose a shorter one.
pub const MAX_IDLE_TIMEOUT_SECONDS: u32 = kluis_protocol::managed::MAX_IDLE_LOCK_SECONDS;
pub const MIN_IDLE_TIMEOUT_SECONDS: u32 = kluis_protocol::managed::MIN_IDLE_LOCK_SECONDS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Nl,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub idle_timeout_seconds: u32,
    pub lock_on_minimize: bool,
    pub language: Language,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            idle_timeout_seconds: MAX_IDLE_TIMEOUT_SECONDS,
            lock_on_minimize: false,
            language: Language::Nl,
        }
    }
}

impl Settings {
    pub fn validate(&self) -> CoreResult<()> {
        if !(MIN_IDLE_TIMEOUT_SECONDS..=MAX_IDLE_TIMEOUT_SECONDS)
            .contains(&self.idle_timeout_seconds)
        {
            return Err(CoreError::Validation {
                field: "idleTimeoutSeconds",
                reason: "must be between 5 seconds and 5 minutes",
            });
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Missing or unreadable settings fall back to the defaults, which are the
    /// strictest: a damaged file must not stop the user from working.
    pub fn load(&self) -> Settings {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Settings>(&bytes).ok())
            .filter(|settings| settings.validate().is_ok())
            .unwrap_or_default()
    }

    pub fn save(&self, settings: &Settings) -> CoreResult<()> {
        settings.validate()?;
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent).map_err(CoreError::io(parent))?;
        }
        let bytes = serde_json::to_vec_pretty(settings)
            .map_err(|error| CoreError::Internal(error.to_string()))?;
        write_atomically(&self.path, &bytes)
    }
}
