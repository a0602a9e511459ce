//! The embedded SQLite back end: one file beside the store's certificates.

use std::path::Path;
use std::sync::{LazyLock, Mutex, MutexGuard};

use include_dir::{Dir, include_dir};
use rusqlite::{Connection, OptionalExtension, Row, params};
use rusqlite_migration::Migrations;

use crate::error::{ServerError, ServerResult};
use crate::store::{Caller, Device, Practitioner, Role, Store};

static MIGRATIONS_DIR: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/../../migrations/server/sqlite");

static MIGRATIONS: LazyLock<Result<Migrations<'static>, String>> = LazyLock::new(|| {
    Migrations::from_directory(&MIGRATIONS_DIR).map_err(|error| error.to_string())
});

#[derive(Debug)]
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl SqliteStore {
    pub fn open(path: &Path) -> ServerResult<Self> {
        let mut connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        MIGRATIONS
            .as_ref()
            .map_err(|error| ServerError::Storage(error.clone()))?
            .to_latest(&mut connection)
            .map_err(|error| ServerError::Storage(format!("migration failed: {error}")))?;
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const DEVICE_COLUMNS: &str =
    "d.id, d.practitioner_id, d.cert_fingerprint, d.created_at, d.revoked_at, d.wipe_requested";

fn device_from_row(row: &Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        id: row.get(0)?,
        practitioner_id: row.get(1)?,
        cert_fingerprint: row.get(2)?,
        created_at: row.get(3)?,
        revoked_at: row.get(4)?,
        wipe_requested: row.get(5)?,
    })
}

impl Store for SqliteStore {
    fn add_practitioner(&self, practitioner: &Practitioner) -> ServerResult<()> {
        self.connection().execute(
            "INSERT INTO practitioner (id, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                practitioner.id,
                practitioner.display_name,
                practitioner.role.as_str(),
                now()
            ],
        )?;
        Ok(())
    }

    fn add_device(&self, device: &Device) -> ServerResult<()> {
        self.connection().execute(
            "INSERT INTO device (id, practitioner_id, cert_fingerprint, created_at, revoked_at, wipe_requested) \
             VALUES (?1, ?2, ?3, ?4, NULL, 0)",
            params![device.id, device.practitioner_id, device.cert_fingerprint, device.created_at],
        )?;
        Ok(())
    }

    fn caller_by_fingerprint(&self, fingerprint: &str) -> ServerResult<Option<Caller>> {
        let connection = self.connection();
        let row = connection
            .query_row(
                &format!(
                    "SELECT {DEVICE_COLUMNS}, p.id, p.display_name, p.role FROM device d \
                     JOIN practitioner p ON p.id = d.practitioner_id WHERE d.cert_fingerprint = ?1"
                ),
                [fingerprint],
                |row| {
                    Ok((
                        device_from_row(row)?,
                        row.get::<_, String>(6)?,
                        row.get::<_, String>(7)?,
                        row.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(device, id, display_name, role)| {
            let role = Role::parse(&role)
                .ok_or_else(|| ServerError::Storage("unknown role in store".to_owned()))?;
            Ok(Caller {
                device,
                practitioner: Practitioner {
                    id,
                    display_name,
                    role,
                },
            })
        })
        .transpose()
    }

    fn list_devices(&self) -> ServerResult<Vec<Device>> {
        let connection = self.connection();
        let mut statement = connection.prepare(&format!(
            "SELECT {DEVICE_COLUMNS} FROM device d ORDER BY d.created_at, d.id"
        ))?;
        let devices = statement
            .query_map([], device_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(devices)
    }

    fn revoke_device(&self, device_id: &str) -> ServerResult<bool> {
        let changed = self.connection().execute(
            "UPDATE device SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            params![device_id, now()],
        )?;
        Ok(changed == 1)
    }

    fn assign(&self, client_id: &str, practitioner_id: &str) -> ServerResult<()> {
        self.connection().execute(
            "INSERT OR IGNORE INTO assignment (client_id, practitioner_id) VALUES (?1, ?2)",
            params![client_id, practitioner_id],
        )?;
        Ok(())
    }

    fn is_assigned(&self, client_id: &str, practitioner_id: &str) -> ServerResult<bool> {
        Ok(self
            .connection()
            .query_row(
                "SELECT 1 FROM assignment WHERE client_id = ?1 AND practitioner_id = ?2",
                params![client_id, practitioner_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS
            .as_ref()
            .expect("migrations load")
            .validate()
            .expect("migrations apply");
    }
}
