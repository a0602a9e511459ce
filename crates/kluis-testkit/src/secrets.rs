//! A device-secret store in this process, for tests that are about something
//! else than the keyring (memory, benchmarks). Tests about the keyring use
//! the real Secret Service (`scripts/with-keyring.sh`).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use kluis_core::vault::secret::DeviceSecret;
use kluis_core::{CoreError, CoreResult, DeviceSecretStore};

#[derive(Debug, Default)]
pub struct InMemorySecrets(Mutex<HashMap<String, [u8; 32]>>);

impl InMemorySecrets {
    fn secrets(&self) -> MutexGuard<'_, HashMap<String, [u8; 32]>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl DeviceSecretStore for InMemorySecrets {
    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> CoreResult<()> {
        self.secrets()
            .insert(vault_id.to_owned(), *secret.expose_secret_bytes());
        Ok(())
    }

    fn load(&self, vault_id: &str) -> CoreResult<DeviceSecret> {
        let mut bytes = *self
            .secrets()
            .get(vault_id)
            .ok_or(CoreError::DeviceSecretMissing)?;
        Ok(DeviceSecret::from_bytes_wiping(&mut bytes))
    }

    fn delete(&self, vault_id: &str) -> CoreResult<()> {
        self.secrets().remove(vault_id);
        Ok(())
    }
}
