//! Where the per-vault device secret lives: the OS keyring (Secret Service on
//! Linux, Keychain on macOS, Credential Manager on Windows).

use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};
use crate::vault::secret::DeviceSecret;

/// Stores one device secret per vault id.
pub trait DeviceSecretStore: Send + Sync + std::fmt::Debug {
    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> CoreResult<()>;
    fn load(&self, vault_id: &str) -> CoreResult<DeviceSecret>;
    fn delete(&self, vault_id: &str) -> CoreResult<()>;
}

/// The OS keyring through the `keyring` crate.
#[derive(Debug, Clone)]
pub struct KeyringDeviceSecretStore {
    service: String,
}

impl KeyringDeviceSecretStore {
    /// The service name under which Kluis keeps its entries.
    pub const DEFAULT_SERVICE: &'static str = "nl.kluis.vault";

    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// Whether the keyring answers: asks for an entry no vault has. Reading
    /// nothing, it changes nothing (for `kluis --doctor`).
    pub fn probe(&self) -> CoreResult<()> {
        match self.load("kluis-doctor-probe") {
            Ok(_) | Err(CoreError::DeviceSecretMissing) => Ok(()),
            Err(other) => Err(other),
        }
    }

    fn entry(&self, vault_id: &str) -> CoreResult<keyring::Entry> {
        keyring::Entry::new(&self.service, vault_id).map_err(keyring_error)
    }
}

impl Default for KeyringDeviceSecretStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_SERVICE)
    }
}

impl DeviceSecretStore for KeyringDeviceSecretStore {
    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> CoreResult<()> {
        self.entry(vault_id)?
            .set_secret(secret.expose_secret_bytes())
            .map_err(keyring_error)
    }

    fn load(&self, vault_id: &str) -> CoreResult<DeviceSecret> {
        let bytes = Zeroizing::new(self.entry(vault_id)?.get_secret().map_err(keyring_error)?);
        let mut fixed: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| CoreError::DeviceSecretMissing)?;
        Ok(DeviceSecret::from_bytes_wiping(&mut fixed))
    }

    fn delete(&self, vault_id: &str) -> CoreResult<()> {
        match self.entry(vault_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(keyring_error(other)),
        }
    }
}

fn keyring_error(error: keyring::Error) -> CoreError {
    match error {
        keyring::Error::NoEntry => CoreError::DeviceSecretMissing,
        keyring::Error::BadEncoding(_) => CoreError::DeviceSecretMissing,
        // The platform's message names the failing service, never the secret.
        other => CoreError::KeyringUnavailable(other.to_string()),
    }
}
