//! The managed policy a profile runs under (SPEC §7; the format and its
//! strict reading are in `kluis_protocol::managed`).
//!
//! Two layers: the machine's policy file, which IT installs and the app reads
//! at start (a file that is not valid stops the app before any window), and
//! the policy the enrollment token carried, kept beside the vault for what
//! the file leaves open. The practitioner's settings sit below both: they can
//! be stricter than the policy, never looser.

use std::path::Path;

use kluis_protocol::managed::{EffectivePolicy, ManagedPolicy, PolicyError};

use crate::error::{CoreError, CoreResult};
use crate::profile::Profile;
use crate::profile::settings::Settings;
use crate::vault::fsutil::write_atomically;

/// Where IT installs the machine's policy.
pub const MACHINE_POLICY_FILE: &str = "/etc/kluis/policy.json";
/// The enrollment token's policy, in the profile directory.
pub const ENROLLMENT_POLICY_FILE: &str = "enrollment-policy.json";

/// Why a policy file stops the app.
#[derive(Debug, thiserror::Error)]
pub enum PolicyFileError {
    #[error("the managed policy {path} cannot be read: {source}")]
    Unreadable {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the managed policy {path} is refused: {error}")]
    Refused {
        path: std::path::PathBuf,
        error: PolicyError,
    },
}

/// Reads the machine's policy strictly; `None` when there is no file.
pub fn read_policy_file(path: &Path) -> Result<Option<ManagedPolicy>, PolicyFileError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(PolicyFileError::Unreadable {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    ManagedPolicy::parse(&text)
        .map(Some)
        .map_err(|error| PolicyFileError::Refused {
            path: path.to_path_buf(),
            error,
        })
}

impl Settings {
    /// These settings made at least as strict as `policy`: what a policy
    /// installed after they were saved takes effect at once.
    pub fn within(mut self, policy: &EffectivePolicy) -> Settings {
        self.idle_timeout_seconds = self.idle_timeout_seconds.min(policy.max_idle_lock_seconds);
        self.lock_on_minimize |= policy.lock_on_minimize;
        self
    }

    /// Refuses settings looser than `policy`, naming the setting.
    pub fn check_against(&self, policy: &EffectivePolicy) -> CoreResult<()> {
        if self.idle_timeout_seconds > policy.max_idle_lock_seconds {
            return Err(CoreError::SettingManaged("idleTimeoutSeconds"));
        }
        if policy.lock_on_minimize && !self.lock_on_minimize {
            return Err(CoreError::SettingManaged("lockOnMinimize"));
        }
        Ok(())
    }
}

impl Profile {
    /// Runs this profile under the machine's policy (read at start with
    /// [`read_policy_file`]).
    pub fn with_machine_policy(mut self, policy: ManagedPolicy) -> Self {
        self.machine_policy = policy;
        self.forget_policy();
        self
    }

    /// The policy in force: the machine's file over the enrollment token's,
    /// over Kluis's defaults.
    pub fn policy(&self) -> EffectivePolicy {
        let mut in_force = self
            .policy_in_force
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        in_force
            .get_or_insert_with(|| {
                self.machine_policy
                    .clone()
                    .over(self.enrollment_policy().unwrap_or_default())
                    .effective()
            })
            .clone()
    }

    /// A layer changed (the token's policy kept, or erased with the
    /// profile): the next [`Profile::policy`] works it out again.
    pub(crate) fn forget_policy(&self) {
        *self
            .policy_in_force
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// The enrollment token's policy kept beside the vault. One that cannot
    /// be read counts as none: the machine's file is what IT enforces.
    fn enrollment_policy(&self) -> Option<ManagedPolicy> {
        let path = self.directory.join(ENROLLMENT_POLICY_FILE);
        let text = std::fs::read_to_string(&path).ok()?;
        match ManagedPolicy::parse(&text) {
            Ok(policy) => Some(policy),
            Err(error) => {
                tracing::warn!(%error, "the enrollment's policy is ignored");
                None
            }
        }
    }

    /// Keeps the policy an enrollment token carried.
    pub fn save_enrollment_policy(&self, policy: &ManagedPolicy) -> CoreResult<()> {
        policy.validate().map_err(|_| CoreError::Validation {
            field: "policy",
            reason: "the enrollment token's policy is not valid",
        })?;
        std::fs::create_dir_all(&self.directory).map_err(CoreError::io(&self.directory))?;
        let bytes = serde_json::to_vec_pretty(policy)
            .map_err(|error| CoreError::Internal(error.to_string()))?;
        write_atomically(&self.directory.join(ENROLLMENT_POLICY_FILE), &bytes)?;
        self.forget_policy();
        Ok(())
    }

    /// Refuses a store the policy does not allow: another address, or a CA
    /// with another fingerprint (SHA-256 of its certificate, hex).
    pub fn check_store_allowed(&self, store_url: &str, ca_fingerprint: &str) -> CoreResult<()> {
        let policy = self.policy();
        if let Some(allowed) = &policy.store_url
            && allowed.trim_end_matches('/') != store_url.trim_end_matches('/')
        {
            return Err(CoreError::NotAllowedByPolicy("this central store"));
        }
        if let Some(allowed) = &policy.ca_fingerprint
            && !allowed.eq_ignore_ascii_case(ca_fingerprint)
        {
            return Err(CoreError::NotAllowedByPolicy(
                "this store's certificate authority",
            ));
        }
        Ok(())
    }
}
