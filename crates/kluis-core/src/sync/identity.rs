//! Who this device is to the store: its address, the provider's CA, the
//! device certificate and private key, kept inside the vault.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{CoreError, CoreResult};
use crate::record::scope::now_utc;

/// How this device reaches the central store (see migration 0005). The
/// private key is kept in a buffer that is wiped when dropped and is never
/// printed.
pub struct SyncIdentity {
    pub server_url: String,
    pub ca_pem: String,
    pub certificate_pem: String,
    pub key_pem: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for SyncIdentity {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SyncIdentity")
            .field("server_url", &self.server_url)
            .finish_non_exhaustive()
    }
}

pub fn set_identity(connection: &Connection, identity: &SyncIdentity) -> CoreResult<()> {
    if !identity.server_url.starts_with("https://") {
        return Err(CoreError::Validation {
            field: "serverUrl",
            reason: "must be an https:// address",
        });
    }
    connection.execute(
        "INSERT INTO sync_identity (singleton, server_url, ca_pem, certificate_pem, key_pem, created_at) \
         VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (singleton) DO UPDATE SET \
         server_url = excluded.server_url, ca_pem = excluded.ca_pem, \
         certificate_pem = excluded.certificate_pem, key_pem = excluded.key_pem",
        params![
            identity.server_url,
            identity.ca_pem,
            identity.certificate_pem,
            identity.key_pem.as_str(),
            now_utc()
        ],
    )?;
    Ok(())
}

pub fn identity(connection: &Connection) -> CoreResult<Option<SyncIdentity>> {
    Ok(connection
        .query_row(
            "SELECT server_url, ca_pem, certificate_pem, key_pem FROM sync_identity WHERE singleton = 1",
            [],
            |row| {
                Ok(SyncIdentity {
                    server_url: row.get(0)?,
                    ca_pem: row.get(1)?,
                    certificate_pem: row.get(2)?,
                    key_pem: zeroize::Zeroizing::new(row.get(3)?),
                })
            },
        )
        .optional()?)
}
