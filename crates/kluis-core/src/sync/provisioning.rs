//! What IT hands a device (SPEC §7), until self-service enrollment replaces
//! it: a directory written by `kluis-admin issue-device` with the device's
//! certificate and key, the provider's CA, the store's address and whom the
//! device is for. The vault made on such a device belongs to that
//! practitioner, with the id the store knows, so that everything written in
//! it is accepted as theirs.

use std::path::Path;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};
use crate::record::practitioner::{Practitioner, Role};
use crate::sync::SyncIdentity;

/// The practitioner a device was issued for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EnrolledPractitioner {
    pub id: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug)]
pub struct DeviceProvisioning {
    pub identity: SyncIdentity,
    /// Absent in directories made before devices were issued for a named
    /// practitioner; such a device keeps the vault it has.
    pub practitioner: Option<EnrolledPractitioner>,
}

fn read_file(directory: &Path, name: &str) -> CoreResult<String> {
    let path = directory.join(name);
    std::fs::read_to_string(&path).map_err(|source| CoreError::Io { path, source })
}

impl DeviceProvisioning {
    /// Whom the directory's device was issued for, without reading its key:
    /// what the first-run screen shows.
    pub fn read_practitioner(directory: &Path) -> CoreResult<Option<EnrolledPractitioner>> {
        if !directory.join("practitioner.json").exists() {
            return Ok(None);
        }
        serde_json::from_str(&read_file(directory, "practitioner.json")?)
            .map(Some)
            .map_err(|_| CoreError::Validation {
                field: "practitioner.json",
                reason: "is not a device issued by kluis-admin",
            })
    }

    pub fn read(directory: &Path) -> CoreResult<Self> {
        let read = |name: &str| read_file(directory, name);
        let practitioner = Self::read_practitioner(directory)?;
        Ok(Self {
            identity: SyncIdentity {
                server_url: read("server-url")?.trim().to_owned(),
                ca_pem: read("ca.pem")?,
                certificate_pem: read("device.pem")?,
                key_pem: Zeroizing::new(read("device.key.pem")?),
            },
            practitioner,
        })
    }
}

impl DeviceProvisioning {
    /// Removes the device's private key from IT's directory once the vault
    /// holds it: left there, it would carry the device's identity in clear
    /// on a stolen laptop or in its backups. Gone already is fine.
    pub fn remove_key_file(directory: &Path) -> CoreResult<()> {
        let path = directory.join("device.key.pem");
        match std::fs::remove_file(&path) {
            Ok(()) => {
                tracing::info!("removed the device key file; the vault holds the key");
                Ok(())
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(CoreError::Io { path, source }),
        }
    }
}

impl EnrolledPractitioner {
    pub fn to_practitioner(&self) -> CoreResult<Practitioner> {
        Practitioner::with_id(&self.id, &self.display_name, self.role)
    }
}
