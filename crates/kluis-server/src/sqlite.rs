//! The embedded SQLite back end: one file beside the store's certificates.
//! Its statements and row mappers are shared with PostgreSQL (`sql`); what
//! is here is what only SQLite does: one connection, `IMMEDIATE`
//! transactions, `INSERT OR IGNORE`.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use include_dir::{Dir, include_dir};
use kluis_protocol::{AuditEntry, ErasureReason, RecordKind};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::ServerResult;
use crate::migrations::{self, Ledger, Migration};
use crate::sql::{self, Columns};
use crate::store::{
    Access, AccessLogLine, AccessLogQuery, Caller, Device, DeviceEvent, DeviceEventKind,
    ErasureStatus, Feed, FeedPage, Practitioner, Store, StoredRecord, StoredToken, Transaction,
    now,
};

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
        // A record replaced by its tombstone (an erasure, SPEC §6) leaves no
        // content behind in free pages.
        connection.pragma_update(None, "secure_delete", "ON")?;
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

impl Columns for Row<'_> {
    fn text(&self, index: usize) -> ServerResult<String> {
        Ok(self.get(index)?)
    }

    fn optional_text(&self, index: usize) -> ServerResult<Option<String>> {
        Ok(self.get(index)?)
    }

    fn flag(&self, index: usize) -> ServerResult<bool> {
        Ok(self.get(index)?)
    }

    fn number(&self, index: usize) -> ServerResult<u64> {
        Ok(self.get(index)?)
    }
}

/// All rows of a statement, each made into a value by `from`.
fn rows<T>(
    connection: &Connection,
    statement: &str,
    parameters: impl rusqlite::Params,
    from: fn(&Row<'_>) -> ServerResult<T>,
) -> ServerResult<Vec<T>> {
    connection
        .prepare_cached(statement)?
        .query_and_then(parameters, from)?
        .collect()
}

/// The one row of a statement, if there is one.
fn optional_row<T>(
    connection: &Connection,
    statement: &str,
    parameters: impl rusqlite::Params,
    from: fn(&Row<'_>) -> ServerResult<T>,
) -> ServerResult<Option<T>> {
    connection
        .prepare_cached(statement)?
        .query_and_then(parameters, from)?
        .next()
        .transpose()
}

/// One write transaction on the store's connection.
struct SqliteTransaction<'a> {
    transaction: &'a rusqlite::Transaction<'a>,
}

fn next_seq(connection: &Connection) -> ServerResult<u64> {
    Ok(connection.query_row(sql::NEXT_SEQ, [], |row| row.get(0))?)
}

impl Transaction for SqliteTransaction<'_> {
    /// Every SQLite transaction is `IMMEDIATE`: it holds the one write lock
    /// from its start, so records are already taken one at a time.
    fn lock_record(&mut self, _kind: RecordKind, _id: &str) -> ServerResult<()> {
        Ok(())
    }

    fn applied_operation(&mut self, device_id: &str, op_id: &str) -> ServerResult<Option<u64>> {
        optional_row(
            self.transaction,
            sql::APPLIED_OPERATION,
            [device_id, op_id],
            |row| row.number(0),
        )
    }

    fn remember_operation(
        &mut self,
        op_id: &str,
        device_id: &str,
        version: u64,
    ) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::REMEMBER_OPERATION)?
            .execute(params![op_id, device_id, version, now()])?;
        Ok(())
    }

    fn record(&mut self, kind: RecordKind, id: &str) -> ServerResult<Option<StoredRecord>> {
        let parameters = params![kind.as_str(), id];
        let Some(mut record) =
            optional_row(self.transaction, &sql::record_by_key(), parameters, |row| {
                sql::record_from(row)
            })?
        else {
            return Ok(None);
        };
        record.access.client_ids =
            rows(self.transaction, sql::RECORD_CLIENTS, parameters, |row| {
                row.text(0)
            })?;
        Ok(Some(record))
    }

    fn write_record(
        &mut self,
        kind: RecordKind,
        id: &str,
        version: u64,
        access: &Access,
        body: Option<&str>,
    ) -> ServerResult<u64> {
        let seq = next_seq(self.transaction)?;
        let kind = kind.as_str();
        self.transaction
            .prepare_cached(sql::WRITE_RECORD)?
            .execute(params![
                kind,
                id,
                version,
                seq,
                body.is_none(),
                access.owner_id,
                access.visibility.map(|visibility| visibility.as_str()),
                access.status.map(|status| status.as_str()),
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
        let records = rows(
            self.transaction,
            &sql::client_records(),
            [client_id],
            |row| Ok((row.text(0)?, row.text(1)?)),
        )?;
        for (kind, id) in records {
            let seq = next_seq(self.transaction)?;
            self.transaction
                .prepare_cached(sql::MOVE_RECORD)?
                .execute(params![kind, id, seq])?;
        }
        Ok(())
    }

    fn audit_last(&mut self, chain_id: &str) -> ServerResult<Option<(u64, String)>> {
        optional_row(self.transaction, sql::AUDIT_LAST, [chain_id], |row| {
            Ok((row.number(0)?, row.text(1)?))
        })
    }

    fn audit_hash(&mut self, chain_id: &str, seq: u64) -> ServerResult<Option<String>> {
        optional_row(
            self.transaction,
            sql::AUDIT_HASH,
            params![chain_id, seq],
            |row| row.text(0),
        )
    }

    fn audit_chain_device(&mut self, chain_id: &str, device_id: &str) -> ServerResult<String> {
        self.transaction
            .prepare_cached(sql::START_AUDIT_CHAIN)?
            .execute(params![chain_id, device_id, now()])?;
        Ok(self
            .transaction
            .prepare_cached("SELECT device_id FROM audit_chain WHERE chain_id = ?1")?
            .query_row([chain_id], |row| row.get(0))?)
    }

    fn append_audit(&mut self, entry: &AuditEntry, device_id: &str) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::APPEND_AUDIT)?
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

    /// The transaction is `IMMEDIATE`: the row is already the writer's.
    fn enrollment_token(&mut self, secret_hash: &str) -> ServerResult<Option<StoredToken>> {
        optional_row(
            self.transaction,
            sql::ENROLLMENT_TOKEN,
            [secret_hash],
            |row| sql::token_from(row),
        )
    }

    fn use_enrollment_token(&mut self, secret_hash: &str, used_at: &str) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::USE_ENROLLMENT_TOKEN)?
            .execute(params![secret_hash, used_at])?;
        Ok(())
    }

    fn add_device(&mut self, device: &Device) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::ADD_DEVICE)?
            .execute(params![
                device.id,
                device.practitioner_id,
                device.cert_fingerprint,
                device.created_at,
                device.cert_serial,
                device.key_words
            ])?;
        Ok(())
    }

    fn device_exists(&mut self, device_id: &str) -> ServerResult<bool> {
        Ok(optional_row(
            self.transaction,
            sql::DEVICE_EXISTS,
            [device_id],
            |_| Ok(()),
        )?
        .is_some())
    }

    fn practitioner(&mut self, id: &str) -> ServerResult<Option<Practitioner>> {
        optional_row(self.transaction, sql::PRACTITIONER_BY_ID, [id], |row| {
            sql::practitioner_from(row, 0)
        })
    }

    fn device(&mut self, device_id: &str) -> ServerResult<Option<Device>> {
        optional_row(self.transaction, &sql::device_by_id(), [device_id], |row| {
            sql::device_from(row)
        })
    }

    fn revoke_device(&mut self, device_id: &str, at: &str) -> ServerResult<bool> {
        let changed = self
            .transaction
            .prepare_cached(sql::REVOKE_DEVICE)?
            .execute(params![device_id, at])?;
        Ok(changed == 1)
    }

    fn request_wipe(&mut self, device_id: &str) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::REQUEST_WIPE)?
            .execute([device_id])?;
        Ok(())
    }

    fn mark_wiped(&mut self, device_id: &str, wiped_at: &str, at: &str) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::MARK_WIPED)?
            .execute(params![device_id, wiped_at, at])?;
        Ok(())
    }

    fn record_contact(
        &mut self,
        device_id: &str,
        at: &str,
        policy_hash: Option<&str>,
    ) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::RECORD_CONTACT)?
            .execute(params![device_id, at, policy_hash])?;
        Ok(())
    }

    fn add_device_event(
        &mut self,
        device_id: &str,
        kind: DeviceEventKind,
        detail: &str,
        at: &str,
    ) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::ADD_DEVICE_EVENT)?
            .execute(params![device_id, at, kind.as_str(), detail])?;
        Ok(())
    }

    fn device_events(&mut self, device_id: &str) -> ServerResult<Vec<DeviceEvent>> {
        rows(self.transaction, sql::DEVICE_EVENTS, [device_id], |row| {
            sql::device_event_from(row)
        })
    }

    fn record_keys_of_client(
        &mut self,
        client_id: &str,
    ) -> ServerResult<Vec<(RecordKind, String)>> {
        rows(
            self.transaction,
            sql::RECORD_KEYS_OF_CLIENT,
            [client_id],
            |row| sql::record_key_from(row),
        )
    }

    fn add_erasure(
        &mut self,
        client_id: &str,
        erased_at: &str,
        maker: Option<(&str, &str)>,
        reason: ErasureReason,
        seq: u64,
    ) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::ADD_ERASURE)?
            .execute(params![
                client_id,
                erased_at,
                maker.map(|(practitioner, _)| practitioner),
                maker.map(|(_, device)| device),
                seq,
                reason.as_str(),
            ])?;
        self.transaction
            .prepare_cached(sql::ADD_ERASURE_DEVICES)?
            .execute([client_id])?;
        Ok(())
    }

    fn acknowledge_erasures(&mut self, device_id: &str, cursor: u64, at: &str) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::ACKNOWLEDGE_ERASURES)?
            .execute(params![device_id, cursor, at])?;
        Ok(())
    }

    fn erasures(&mut self) -> ServerResult<Vec<ErasureStatus>> {
        rows(self.transaction, sql::ERASURES, [], |row| {
            sql::erasure_from(row)
        })
    }

    fn was_erased(&mut self, client_id: &str) -> ServerResult<bool> {
        Ok(optional_row(self.transaction, sql::WAS_ERASED, [client_id], |_| Ok(()))?.is_some())
    }

    fn mark_feed(&mut self, at: &str) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::MARK_FEED)?
            .execute([at])?;
        Ok(())
    }

    fn feed_mark_before(&mut self, at: &str) -> ServerResult<Option<u64>> {
        optional_row(self.transaction, sql::FEED_MARK_BEFORE, [at], |row| {
            row.number(0)
        })
    }

    fn prune_tombstones(&mut self, through: u64, at: &str) -> ServerResult<u64> {
        self.transaction
            .prepare_cached(sql::PRUNE_TOMBSTONE_LINKS)?
            .execute([through])?;
        let removed = self
            .transaction
            .prepare_cached(sql::PRUNE_TOMBSTONES)?
            .execute([through])?;
        self.transaction
            .prepare_cached(sql::ADVANCE_HORIZON)?
            .execute(params![through, at])?;
        Ok(removed as u64)
    }

    fn forget_feed_marks(&mut self, before: &str) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::FORGET_FEED_MARKS)?
            .execute([before])?;
        Ok(())
    }

    fn note_full_pull(&mut self, device_id: &str, horizon: u64) -> ServerResult<()> {
        self.transaction
            .prepare_cached(sql::NOTE_FULL_PULL)?
            .execute(params![device_id, horizon])?;
        Ok(())
    }

    fn full_pull_horizon(&mut self, device_id: &str) -> ServerResult<Option<u64>> {
        optional_row(
            self.transaction,
            sql::FULL_PULL_HORIZON,
            [device_id],
            |row| row.number(0),
        )
    }

    fn pruned_through(&mut self) -> ServerResult<u64> {
        Ok(
            optional_row(self.transaction, sql::PRUNED_THROUGH, [], |row| {
                row.number(0)
            })?
            .unwrap_or(0),
        )
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
        let records = rows(
            &connection,
            &sql::feed_page(),
            params![practitioner_id, cursor, limit],
            |row| sql::record_from(row),
        )?;
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
            sql::ADD_PRACTITIONER,
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
        optional_row(&self.connection(), sql::PRACTITIONER_BY_ID, [id], |row| {
            sql::practitioner_from(row, 0)
        })
    }

    fn add_device(&self, device: &Device) -> ServerResult<()> {
        self.transaction(|transaction| transaction.add_device(device))
    }

    fn access_log(&self, query: &AccessLogQuery) -> ServerResult<Vec<AccessLogLine>> {
        rows(
            &self.connection(),
            sql::ACCESS_LOG,
            params![query.client_id, query.practitioner_id, query.from, query.to],
            |row| sql::access_log_line_from(row),
        )
    }

    fn live_bodies(&self, kind: RecordKind) -> ServerResult<Vec<String>> {
        rows(
            &self.connection(),
            sql::LIVE_BODIES,
            [kind.as_str()],
            |row| row.text(0),
        )
    }

    fn client_id_by_code(&self, code: &str) -> ServerResult<Option<String>> {
        optional_row(
            &self.connection(),
            "SELECT id FROM record WHERE kind = 'client' AND NOT deleted \
             AND json_extract(body, '$.client_code') = ?1",
            [code],
            |row| row.text(0),
        )
    }

    fn add_enrollment_token(&self, token: &StoredToken) -> ServerResult<()> {
        self.connection().execute(
            sql::ADD_ENROLLMENT_TOKEN,
            params![
                token.secret_hash,
                token.practitioner_id,
                token.device_id,
                token.created_at,
                token.expires_at
            ],
        )?;
        Ok(())
    }

    fn caller_by_fingerprint(&self, fingerprint: &str) -> ServerResult<Option<Caller>> {
        optional_row(
            &self.connection(),
            &sql::caller_by_fingerprint(),
            [fingerprint],
            |row| sql::caller_from(row),
        )
    }

    fn list_devices(&self) -> ServerResult<Vec<Device>> {
        rows(&self.connection(), &sql::list_devices(), [], |row| {
            sql::device_from(row)
        })
    }

    fn assign(&self, client_id: &str, practitioner_id: &str) -> ServerResult<()> {
        self.transaction(|transaction| transaction.assign(client_id, practitioner_id))
    }

    fn is_assigned(&self, client_id: &str, practitioner_id: &str) -> ServerResult<bool> {
        assigned(&self.connection(), client_id, practitioner_id)
    }

    fn purge_after_erasure(&self) -> ServerResult<()> {
        // With secure_delete the replaced bodies are zeroed in the database;
        // the log's older frames are not, until they are truncated away.
        self.connection()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

impl Ledger for rusqlite::Transaction<'_> {
    fn applied(&mut self) -> ServerResult<Vec<(i64, Option<String>)>> {
        Ok(self
            .prepare(migrations::APPLIED)?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?)
    }

    fn execute_migration(&mut self, sql: &str) -> ServerResult<()> {
        Ok(self.execute_batch(sql)?)
    }

    fn record_applied(&mut self, migration: &Migration) -> ServerResult<()> {
        self.execute(
            migrations::RECORD_APPLIED,
            params![migration.version, now(), migration.checksum],
        )?;
        Ok(())
    }

    fn record_checksum(&mut self, migration: &Migration) -> ServerResult<()> {
        self.execute(
            migrations::RECORD_CHECKSUM,
            params![migration.version, migration.checksum],
        )?;
        Ok(())
    }
}

/// Applies the folders of `migrations/server/sqlite` in order, each once, in
/// one transaction, and refuses a database whose applied migrations differ
/// from this build's (see [`crate::migrations`]).
fn migrate(connection: &mut Connection) -> ServerResult<()> {
    let migrations = migrations::load(&MIGRATIONS_DIR)?;
    let mut transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    transaction.execute_batch(migrations::LEDGER_TABLE)?;
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
    let applied = migrations::run(&mut transaction, &migrations)?;
    // Kept in step for tools that read SQLite's own schema version.
    if let Some(newest) = applied.last() {
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
