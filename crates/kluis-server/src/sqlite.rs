//! The embedded SQLite back end: one file beside the store's certificates.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use include_dir::{Dir, include_dir};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::ServerResult;
use crate::migrations;
use crate::sql;
use crate::store::{
    Access, Caller, Device, Feed, FeedPage, Practitioner, Store, StoredRecord, Transaction,
    role_from_stored,
};
use kluis_protocol::AuditEntry;

static MIGRATIONS_DIR: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/../../migrations/server/sqlite");

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
        migrate(&mut connection)?;
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

const DEVICE_COLUMNS: &str = "d.id, d.practitioner_id, d.cert_fingerprint, d.created_at, \
     d.revoked_at, d.wipe_requested, d.cert_serial";

fn device_from_row(row: &Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        id: row.get(0)?,
        practitioner_id: row.get(1)?,
        cert_fingerprint: row.get(2)?,
        created_at: row.get(3)?,
        revoked_at: row.get(4)?,
        wipe_requested: row.get(5)?,
        cert_serial: row.get(6)?,
    })
}

/// One write transaction on the store's connection.
struct SqliteTransaction<'a> {
    transaction: &'a rusqlite::Transaction<'a>,
}

fn record_from_row(row: &Row<'_>) -> rusqlite::Result<StoredRecord> {
    Ok(StoredRecord {
        kind: row.get(0)?,
        id: row.get(1)?,
        version: row.get(2)?,
        seq: row.get(3)?,
        deleted: row.get(4)?,
        access: Access {
            client_ids: Vec::new(),
            owner_id: row.get(5)?,
            visibility: row.get(6)?,
            status: row.get(7)?,
        },
        body: row.get(8)?,
    })
}

fn client_ids(connection: &Connection, kind: &str, id: &str) -> ServerResult<Vec<String>> {
    let mut statement = connection.prepare_cached(sql::RECORD_CLIENTS)?;
    let ids = statement
        .query_map(params![kind, id], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

fn next_seq(connection: &Connection) -> ServerResult<u64> {
    Ok(connection.query_row(
        "UPDATE feed_counter SET seq = seq + 1 WHERE singleton = 1 RETURNING seq",
        [],
        |row| row.get(0),
    )?)
}

impl Transaction for SqliteTransaction<'_> {
    /// Every SQLite transaction is `IMMEDIATE`: it holds the one write lock
    /// from its start, so records are already taken one at a time.
    fn lock_record(&mut self, _kind: &str, _id: &str) -> ServerResult<()> {
        Ok(())
    }

    fn applied_operation(&mut self, device_id: &str, op_id: &str) -> ServerResult<Option<u64>> {
        Ok(self
            .transaction
            .prepare_cached(
                "SELECT version FROM applied_operation WHERE device_id = ?1 AND op_id = ?2",
            )?
            .query_row([device_id, op_id], |row| row.get(0))
            .optional()?)
    }

    fn remember_operation(
        &mut self,
        op_id: &str,
        device_id: &str,
        version: u64,
    ) -> ServerResult<()> {
        self.transaction
            .prepare_cached(
                "INSERT INTO applied_operation (op_id, device_id, version, applied_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![op_id, device_id, version, now()])?;
        Ok(())
    }

    fn record(&mut self, kind: &str, id: &str) -> ServerResult<Option<StoredRecord>> {
        let record = self
            .transaction
            .prepare_cached(&sql::record_by_key())?
            .query_row(params![kind, id], record_from_row)
            .optional()?;
        record
            .map(|mut record| {
                record.access.client_ids = client_ids(self.transaction, kind, id)?;
                Ok(record)
            })
            .transpose()
    }

    fn write_record(
        &mut self,
        kind: &str,
        id: &str,
        version: u64,
        access: &Access,
        body: Option<&str>,
    ) -> ServerResult<u64> {
        let seq = next_seq(self.transaction)?;
        self.transaction
            .prepare_cached(sql::WRITE_RECORD)?
            .execute(params![
                kind,
                id,
                version,
                seq,
                body.is_none(),
                access.owner_id,
                access.visibility,
                access.status,
                body
            ])?;
        self.transaction
            .prepare_cached(sql::FORGET_RECORD_CLIENTS)?
            .execute(params![kind, id])?;
        for client_id in &access.client_ids {
            self.transaction
                .prepare_cached(sql::ADD_RECORD_CLIENT)?
                .execute(params![kind, id, client_id])?;
        }
        Ok(seq)
    }

    fn is_assigned(&mut self, client_id: &str, practitioner_id: &str) -> ServerResult<bool> {
        assigned(self.transaction, client_id, practitioner_id)
    }

    fn assign(&mut self, client_id: &str, practitioner_id: &str) -> ServerResult<()> {
        let added = self.transaction.execute(
            "INSERT OR IGNORE INTO assignment (client_id, practitioner_id) VALUES (?1, ?2)",
            params![client_id, practitioner_id],
        )?;
        if added == 0 {
            return Ok(());
        }
        // The client's records move to the end of the feed, so the newly
        // assigned practitioner's devices receive them from their cursor on.
        let records: Vec<(String, String)> = self
            .transaction
            .prepare_cached(&sql::client_records())?
            .query_map([client_id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (kind, id) in records {
            let seq = next_seq(self.transaction)?;
            self.transaction
                .prepare_cached(sql::MOVE_RECORD)?
                .execute(params![kind, id, seq])?;
        }
        Ok(())
    }

    fn audit_last(&mut self, chain_id: &str) -> ServerResult<Option<(u64, String)>> {
        Ok(self
            .transaction
            .prepare_cached(
                "SELECT seq, hash FROM audit_log WHERE chain_id = ?1 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([chain_id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?)
    }

    fn audit_hash(&mut self, chain_id: &str, seq: u64) -> ServerResult<Option<String>> {
        Ok(self
            .transaction
            .prepare_cached("SELECT hash FROM audit_log WHERE chain_id = ?1 AND seq = ?2")?
            .query_row(params![chain_id, seq], |row| row.get(0))
            .optional()?)
    }

    fn audit_chain_device(&mut self, chain_id: &str, device_id: &str) -> ServerResult<String> {
        self.transaction
            .prepare_cached(
                "INSERT INTO audit_chain (chain_id, device_id, started_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (chain_id) DO NOTHING",
            )?
            .execute(params![chain_id, device_id, now()])?;
        Ok(self
            .transaction
            .prepare_cached("SELECT device_id FROM audit_chain WHERE chain_id = ?1")?
            .query_row([chain_id], |row| row.get(0))?)
    }

    fn append_audit(&mut self, entry: &AuditEntry, device_id: &str) -> ServerResult<()> {
        self.transaction
            .prepare_cached(
                "INSERT INTO audit_log (chain_id, seq, id, occurred_at, actor_id, actor_name, actor_role, \
                 on_behalf_of, action, client_id, record_part, record_id, outcome, prev_hash, hash, \
                 device_id, received_at, hash_version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?
            .execute(params![
                entry.chain_id,
                entry.seq,
                entry.id,
                entry.occurred_at,
                entry.actor_id,
                entry.actor_name,
                entry.actor_role,
                entry.on_behalf_of,
                entry.action,
                entry.client_id,
                entry.record_part,
                entry.record_id,
                entry.outcome,
                entry.prev_hash,
                entry.hash,
                device_id,
                now(),
                entry.hash_version
            ])?;
        Ok(())
    }
}

fn assigned(connection: &Connection, client_id: &str, practitioner_id: &str) -> ServerResult<bool> {
    Ok(connection
        .prepare_cached(sql::IS_ASSIGNED)?
        .query_row(params![client_id, practitioner_id], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Feed for SqliteStore {
    fn feed(&self, practitioner_id: &str, cursor: u64, limit: u32) -> ServerResult<FeedPage> {
        let connection = self.connection();
        let records: Vec<StoredRecord> = connection
            .prepare_cached(&sql::feed_page())?
            .query_map(params![practitioner_id, cursor, limit], record_from_row)?
            .collect::<Result<_, _>>()?;
        // A page that is not full is the end of the feed: no need to count.
        let remaining = if records.len() < limit as usize {
            0
        } else {
            let after = records.last().map_or(cursor, |record| record.seq);
            connection
                .prepare_cached(&sql::feed_remaining())?
                .query_row(params![practitioner_id, after], |row| row.get(0))?
        };
        Ok(FeedPage { records, remaining })
    }
}

impl Store for SqliteStore {
    fn transaction<T>(
        &self,
        work: impl FnOnce(&mut dyn Transaction) -> ServerResult<T>,
    ) -> ServerResult<T> {
        let mut connection = self.connection();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = work(&mut SqliteTransaction {
            transaction: &transaction,
        })?;
        transaction.commit()?;
        Ok(value)
    }

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

    fn practitioner(&self, id: &str) -> ServerResult<Option<Practitioner>> {
        let row: Option<(String, String, String)> = self
            .connection()
            .query_row(
                "SELECT id, display_name, role FROM practitioner WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        row.map(|(id, display_name, role)| {
            Ok(Practitioner {
                id,
                display_name,
                role: role_from_stored(&role)?,
            })
        })
        .transpose()
    }

    fn add_device(&self, device: &Device) -> ServerResult<()> {
        self.connection().execute(
            "INSERT INTO device (id, practitioner_id, cert_fingerprint, created_at, revoked_at, wipe_requested, cert_serial) \
             VALUES (?1, ?2, ?3, ?4, NULL, 0, ?5)",
            params![device.id, device.practitioner_id, device.cert_fingerprint, device.created_at, device.cert_serial],
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
                        row.get::<_, String>(7)?,
                        row.get::<_, String>(8)?,
                        row.get::<_, String>(9)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(device, id, display_name, role)| {
            let role = role_from_stored(&role)?;
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
        self.transaction(|transaction| transaction.assign(client_id, practitioner_id))
    }

    fn is_assigned(&self, client_id: &str, practitioner_id: &str) -> ServerResult<bool> {
        assigned(&self.connection(), client_id, practitioner_id)
    }
}

/// Applies the folders of `migrations/server/sqlite` in order, each once, in
/// one transaction, and refuses a database whose applied migrations differ
/// from this build's (see [`crate::migrations`]).
fn migrate(connection: &mut Connection) -> ServerResult<()> {
    let migrations = migrations::load(&MIGRATIONS_DIR)?;
    let transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    transaction.execute_batch(
        "CREATE TABLE IF NOT EXISTS kluis_schema_migration (\
         version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, checksum TEXT)",
    )?;
    // Stores migrated before the table existed kept only `user_version`:
    // their migrations up to it count as applied, checksums recorded now.
    let recorded: i64 =
        transaction.query_row("SELECT count(*) FROM kluis_schema_migration", [], |row| {
            row.get(0)
        })?;
    if recorded == 0 {
        let user_version: i64 =
            transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        for version in 1..=user_version {
            transaction.execute(
                "INSERT INTO kluis_schema_migration (version, applied_at) VALUES (?1, ?2)",
                params![version, now()],
            )?;
        }
    }
    let applied: Vec<(i64, Option<String>)> = transaction
        .prepare("SELECT version, checksum FROM kluis_schema_migration ORDER BY version")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let (to_apply, to_record) = migrations::plan(&migrations, &applied)?;
    for migration in to_record {
        transaction.execute(
            "UPDATE kluis_schema_migration SET checksum = ?2 WHERE version = ?1",
            params![migration.version, migration.checksum],
        )?;
    }
    for migration in &to_apply {
        transaction.execute_batch(migration.sql)?;
        transaction.execute(
            "INSERT INTO kluis_schema_migration (version, applied_at, checksum) VALUES (?1, ?2, ?3)",
            params![migration.version, now(), migration.checksum],
        )?;
    }
    // Kept in step for tools that read SQLite's own schema version.
    if let Some(newest) = to_apply.last() {
        transaction.pragma_update(None, "user_version", newest.version)?;
    }
    transaction.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::error::ServerError;

    fn checksums(path: &Path) -> Vec<(i64, Option<String>)> {
        Connection::open(path)
            .unwrap()
            .prepare("SELECT version, checksum FROM kluis_schema_migration ORDER BY version")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A store made before migrations were checksummed (only `user_version`
    /// set) starts, and its migrations get their checksums; an applied
    /// migration changed since stops the store, naming it.
    #[test]
    fn migrations_are_remembered_with_their_checksums() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("store.db");
        {
            let connection = Connection::open(&path).unwrap();
            for migration in migrations::load(&MIGRATIONS_DIR).unwrap() {
                connection.execute_batch(migration.sql).unwrap();
            }
            let count = MIGRATIONS_DIR.dirs().count();
            connection
                .pragma_update(None, "user_version", count)
                .unwrap();
        }
        drop(SqliteStore::open(&path).unwrap());
        let recorded = checksums(&path);
        assert_eq!(recorded.len(), MIGRATIONS_DIR.dirs().count());
        assert!(
            recorded
                .iter()
                .all(|(_, checksum)| checksum.as_ref().is_some_and(|sum| sum.len() == 64))
        );

        Connection::open(&path)
            .unwrap()
            .execute(
                "UPDATE kluis_schema_migration SET checksum = 'x' WHERE version = 2",
                [],
            )
            .unwrap();
        let error = SqliteStore::open(&path).unwrap_err();
        assert!(
            matches!(&error, ServerError::Storage(message)
                if message.contains("0002-records") && message.contains("changed after it was applied")),
            "{error:?}"
        );
    }
}
