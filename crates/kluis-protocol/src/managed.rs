//! Managed policy (SPEC §7): what IT fixes for every device, machine-wide in
//! a policy file (`/etc/kluis/policy.json`) and, for what the file leaves
//! open, in the enrollment token. The app reads it at start; `kluis-admin`
//! computes the same hash to tell which devices run another policy.
//!
//! A policy file is read strictly: an unknown key, a value of the wrong type
//! or a value looser than Kluis allows stops the app with a message naming
//! the key. Every key is optional; what no layer fixes takes Kluis's
//! default, which is the strictest a practitioner can still work with.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The longest idle time before the app locks itself, and the default.
pub const MAX_IDLE_LOCK_SECONDS: u32 = 5 * 60;
pub const MIN_IDLE_LOCK_SECONDS: u32 = 5;
/// How long copied text stays on the clipboard, at most, and by default.
pub const MAX_CLIPBOARD_CLEAR_SECONDS: u32 = 60;
pub const MIN_CLIPBOARD_CLEAR_SECONDS: u32 = 5;
/// Wrong passphrases before a wipe may not be set so low that a typo or two
/// erases a practitioner's unsent work.
pub const MIN_WIPE_AFTER_FAILED_UNLOCKS: u32 = 5;
pub const MAX_WIPE_AFTER_FAILED_UNLOCKS: u32 = 100;
pub const MAX_OFFLINE_GRACE_DAYS: u32 = 365;

/// What happens when the offline grace period has run out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum GraceAction {
    /// The vault stays locked until the store is reached.
    #[default]
    Lock,
    /// The device erases itself.
    Wipe,
}

/// One layer of managed policy, as IT writes it: every key optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedPolicy {
    /// The store's address; a device enrolled for another store is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_url: Option<String>,
    /// SHA-256 (hex) of the provider CA's certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_fingerprint: Option<String>,
    /// Where the store may keep data (ISO 3166-1 alpha-2, lower case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_regions: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_idle_lock_seconds: Option<u32>,
    /// Kluis always locks on suspend; the key exists so a policy can say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_on_suspend: Option<bool>,
    /// Kluis always locks with the session's screen lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_on_screen_lock: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_on_minimize: Option<bool>,
    /// Erase the device after this many wrong passphrases in a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wipe_after_failed_unlocks: Option<u32>,
    /// Days without contact with the store after which `offline_grace_action`
    /// applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_grace_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_grace_action: Option<GraceAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clipboard_clear_seconds: Option<u32>,
}

/// Why a policy was refused; the message names the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyError {
    /// The key at fault (`max_idle_lock_seconds`), or `""` when the file is
    /// not a JSON object at all.
    pub key: String,
    pub message: String,
}

impl PolicyError {
    fn new(key: &str, message: impl Into<String>) -> Self {
        Self {
            key: key.to_owned(),
            message: format!("{key}: {}", message.into()),
        }
    }
}

impl ManagedPolicy {
    /// Reads a policy strictly (see the module's documentation).
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        // Only an object: serde would also read a struct from an array.
        let value: serde_json::Value = serde_json::from_str(text).map_err(|error| PolicyError {
            key: String::new(),
            message: format!("the policy is not JSON: {error}"),
        })?;
        if !value.is_object() {
            return Err(PolicyError {
                key: String::new(),
                message: "the policy is not a JSON object of settings".to_owned(),
            });
        }
        let policy: Self = serde_path_to_error::deserialize(value).map_err(|error| {
            let key = error.path().to_string();
            let inner = error.into_inner();
            let message = inner.to_string();
            // serde names an unknown key in its message; anything else is a
            // value of the wrong type, at the path it names.
            match message.strip_prefix("unknown field `") {
                Some(rest) => {
                    let unknown = rest.split('`').next().unwrap_or_default();
                    PolicyError::new(unknown, "is not a key Kluis knows")
                }
                None => PolicyError::new(&key, format!("wrong type ({message})")),
            }
        })?;
        policy.validate()?;
        Ok(policy)
    }

    /// Refuses values Kluis does not allow, whatever layer they come from.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let within = |key: &str, value: Option<u32>, low: u32, high: u32, unit: &str| match value {
            Some(value) if !(low..=high).contains(&value) => Err(PolicyError::new(
                key,
                format!("{value} is outside what Kluis allows ({low} to {high} {unit})"),
            )),
            _ => Ok(()),
        };
        within(
            "max_idle_lock_seconds",
            self.max_idle_lock_seconds,
            MIN_IDLE_LOCK_SECONDS,
            MAX_IDLE_LOCK_SECONDS,
            "seconds",
        )?;
        within(
            "clipboard_clear_seconds",
            self.clipboard_clear_seconds,
            MIN_CLIPBOARD_CLEAR_SECONDS,
            MAX_CLIPBOARD_CLEAR_SECONDS,
            "seconds",
        )?;
        within(
            "wipe_after_failed_unlocks",
            self.wipe_after_failed_unlocks,
            MIN_WIPE_AFTER_FAILED_UNLOCKS,
            MAX_WIPE_AFTER_FAILED_UNLOCKS,
            "attempts",
        )?;
        within(
            "offline_grace_days",
            self.offline_grace_days,
            1,
            MAX_OFFLINE_GRACE_DAYS,
            "days",
        )?;
        for (key, value) in [
            ("lock_on_suspend", self.lock_on_suspend),
            ("lock_on_screen_lock", self.lock_on_screen_lock),
        ] {
            if value == Some(false) {
                return Err(PolicyError::new(
                    key,
                    "Kluis always locks then; a policy cannot turn it off",
                ));
            }
        }
        if let Some(url) = &self.store_url
            && !url.starts_with("https://")
        {
            return Err(PolicyError::new("store_url", "must start with https://"));
        }
        if let Some(fingerprint) = &self.ca_fingerprint
            && !(fingerprint.len() == 64
                && fingerprint.bytes().all(|byte| byte.is_ascii_hexdigit()))
        {
            return Err(PolicyError::new(
                "ca_fingerprint",
                "must be a SHA-256 in hex (64 characters)",
            ));
        }
        if let Some(regions) = &self.allowed_regions {
            if regions.is_empty() {
                return Err(PolicyError::new(
                    "allowed_regions",
                    "an empty list would forbid every store",
                ));
            }
            if let Some(region) = regions
                .iter()
                .find(|region| region.len() != 2 || !region.bytes().all(|b| b.is_ascii_lowercase()))
            {
                return Err(PolicyError::new(
                    "allowed_regions",
                    format!("'{region}' is not a two-letter lower-case country code"),
                ));
            }
        }
        Ok(())
    }

    /// This layer over `below`: what this one fixes wins, the rest comes
    /// from `below`.
    pub fn over(self, below: ManagedPolicy) -> ManagedPolicy {
        ManagedPolicy {
            store_url: self.store_url.or(below.store_url),
            ca_fingerprint: self.ca_fingerprint.or(below.ca_fingerprint),
            allowed_regions: self.allowed_regions.or(below.allowed_regions),
            max_idle_lock_seconds: self.max_idle_lock_seconds.or(below.max_idle_lock_seconds),
            lock_on_suspend: self.lock_on_suspend.or(below.lock_on_suspend),
            lock_on_screen_lock: self.lock_on_screen_lock.or(below.lock_on_screen_lock),
            lock_on_minimize: self.lock_on_minimize.or(below.lock_on_minimize),
            wipe_after_failed_unlocks: self
                .wipe_after_failed_unlocks
                .or(below.wipe_after_failed_unlocks),
            offline_grace_days: self.offline_grace_days.or(below.offline_grace_days),
            offline_grace_action: self.offline_grace_action.or(below.offline_grace_action),
            clipboard_clear_seconds: self
                .clipboard_clear_seconds
                .or(below.clipboard_clear_seconds),
        }
    }

    /// Every value resolved, with Kluis's defaults for what no layer fixed.
    pub fn effective(&self) -> EffectivePolicy {
        EffectivePolicy {
            store_url: self.store_url.clone(),
            ca_fingerprint: self.ca_fingerprint.as_deref().map(str::to_ascii_lowercase),
            allowed_regions: self.allowed_regions.clone().unwrap_or_else(|| {
                crate::EEA_REGIONS
                    .iter()
                    .map(|region| (*region).to_owned())
                    .collect()
            }),
            max_idle_lock_seconds: self.max_idle_lock_seconds.unwrap_or(MAX_IDLE_LOCK_SECONDS),
            lock_on_minimize: self.lock_on_minimize.unwrap_or(false),
            wipe_after_failed_unlocks: self.wipe_after_failed_unlocks,
            offline_grace_days: self.offline_grace_days,
            offline_grace_action: self.offline_grace_action.unwrap_or_default(),
            clipboard_clear_seconds: self
                .clipboard_clear_seconds
                .unwrap_or(MAX_CLIPBOARD_CLEAR_SECONDS),
            managed: Managed {
                max_idle_lock_seconds: self.max_idle_lock_seconds.is_some(),
                lock_on_minimize: self.lock_on_minimize.is_some(),
                clipboard_clear_seconds: self.clipboard_clear_seconds.is_some(),
                wipe_after_failed_unlocks: self.wipe_after_failed_unlocks.is_some(),
                offline_grace_days: self.offline_grace_days.is_some(),
                allowed_regions: self.allowed_regions.is_some(),
            },
        }
    }
}

/// Which values a layer of policy fixed (the settings screen marks them
/// managed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Managed {
    pub max_idle_lock_seconds: bool,
    pub lock_on_minimize: bool,
    pub clipboard_clear_seconds: bool,
    pub wipe_after_failed_unlocks: bool,
    pub offline_grace_days: bool,
    pub allowed_regions: bool,
}

/// The policy a device runs, every value resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EffectivePolicy {
    pub store_url: Option<String>,
    pub ca_fingerprint: Option<String>,
    pub allowed_regions: Vec<String>,
    pub max_idle_lock_seconds: u32,
    /// `true`: minimizing locks, and the user cannot turn it off.
    pub lock_on_minimize: bool,
    pub wipe_after_failed_unlocks: Option<u32>,
    pub offline_grace_days: Option<u32>,
    pub offline_grace_action: GraceAction,
    pub clipboard_clear_seconds: u32,
    pub managed: Managed,
}

impl Default for EffectivePolicy {
    fn default() -> Self {
        ManagedPolicy::default().effective()
    }
}

impl EffectivePolicy {
    /// SHA-256 (hex) of the policy's values, which the device reports to the
    /// store with every request ([`crate::POLICY_HASH_HEADER`]). Two devices
    /// that run the same values report the same hash, whichever layer fixed
    /// them.
    pub fn hash(&self) -> String {
        let values = serde_json::json!({
            "store_url": self.store_url,
            "ca_fingerprint": self.ca_fingerprint,
            "allowed_regions": self.allowed_regions,
            "max_idle_lock_seconds": self.max_idle_lock_seconds,
            "lock_on_minimize": self.lock_on_minimize,
            "wipe_after_failed_unlocks": self.wipe_after_failed_unlocks,
            "offline_grace_days": self.offline_grace_days,
            "offline_grace_action": self.offline_grace_action,
            "clipboard_clear_seconds": self.clipboard_clear_seconds,
        });
        hex::encode(Sha256::digest(values.to_string().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_refused_by_its_name() {
        let error = ManagedPolicy::parse(r#"{"max_idle_lock_seconds": 60, "idle_lock": 30}"#)
            .expect_err("unknown key");
        assert_eq!(error.key, "idle_lock");
        assert_eq!(error.message, "idle_lock: is not a key Kluis knows");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_by_its_key() {
        let error = ManagedPolicy::parse(r#"{"lock_on_minimize": "yes"}"#).expect_err("type");
        assert_eq!(error.key, "lock_on_minimize");
        assert!(
            error.message.starts_with("lock_on_minimize: wrong type"),
            "{error}"
        );
        let error = ManagedPolicy::parse(r#"{"allowed_regions": ["nl", 3]}"#).expect_err("type");
        assert_eq!(error.key, "allowed_regions[1]");
    }

    #[test]
    fn an_idle_lock_looser_than_kluis_allows_is_refused() {
        let error =
            ManagedPolicy::parse(r#"{"max_idle_lock_seconds": 301}"#).expect_err("too loose");
        assert_eq!(error.key, "max_idle_lock_seconds");
        assert_eq!(
            error.message,
            "max_idle_lock_seconds: 301 is outside what Kluis allows (5 to 300 seconds)"
        );
        assert!(ManagedPolicy::parse(r#"{"max_idle_lock_seconds": 300}"#).is_ok());
    }

    #[test]
    fn a_policy_cannot_turn_off_the_locks_kluis_always_makes() {
        let error = ManagedPolicy::parse(r#"{"lock_on_suspend": false}"#).expect_err("off");
        assert_eq!(error.key, "lock_on_suspend");
    }

    #[test]
    fn not_an_object_is_refused_as_a_whole() {
        let error = ManagedPolicy::parse("[1]").expect_err("array");
        assert_eq!(error.key, "");
    }

    #[test]
    fn the_file_wins_over_the_token_and_defaults_fill_the_rest() {
        let file = ManagedPolicy::parse(r#"{"max_idle_lock_seconds": 60}"#).expect("file");
        let token =
            ManagedPolicy::parse(r#"{"max_idle_lock_seconds": 120, "lock_on_minimize": true}"#)
                .expect("token");
        let effective = file.over(token).effective();
        assert_eq!(effective.max_idle_lock_seconds, 60);
        assert!(effective.lock_on_minimize);
        assert_eq!(
            effective.clipboard_clear_seconds,
            MAX_CLIPBOARD_CLEAR_SECONDS
        );
        assert!(effective.managed.max_idle_lock_seconds);
        assert!(!effective.managed.clipboard_clear_seconds);
    }

    #[test]
    fn the_hash_follows_the_values_not_the_layers() {
        let stated = ManagedPolicy::parse(r#"{"max_idle_lock_seconds": 300}"#).expect("stated");
        assert_eq!(stated.effective().hash(), EffectivePolicy::default().hash());
        let stricter = ManagedPolicy::parse(r#"{"max_idle_lock_seconds": 60}"#).expect("stricter");
        assert_ne!(
            stricter.effective().hash(),
            EffectivePolicy::default().hash()
        );
    }
}
