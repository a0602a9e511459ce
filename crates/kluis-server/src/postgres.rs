//! The PostgreSQL back end (production): the same [`Store`] as SQLite, on a
//! connection pool, with the same statements and row mappers (`sql`); what
//! is here is what only PostgreSQL does: the pool, TLS to the database,
//! advisory and row locks. It scales out on PostgreSQL's own replication; the store
//! itself keeps no state between requests.

use std::time::Duration;

use include_dir::{Dir, include_dir};
use postgres::config::SslMode;
use r2d2::{Pool, PooledConnection};
use r2d2_postgres::PostgresConnectionManager;
use rustls_pki_types::pem::PemObject;

use crate::error::{ServerError, ServerResult};
use crate::migrations::{self, Ledger, Migration};
use crate::sql::{self, Columns};
use crate::store::{
    Access, AccessLogLine, AccessLogQuery, Caller, Device, DeviceEvent, DeviceEventKind,
    ErasureStatus, Feed, FeedPage, Practitioner, Store, StoredRecord, StoredToken, Transaction,
    now,
};
use kluis_protocol::{AuditEntry, ErasureReason, RecordKind};

static MIGRATIONS_DIR: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/../../migrations/server/postgres");

type Manager = PostgresConnectionManager<DatabaseConnector>;

/// rustls for PostgreSQL, also for connections that never use TLS: the
/// client asks for a connector for every host before it knows whether TLS
/// will be used, and a Unix socket's host has no name to verify. Such a
/// connector is never asked to connect (TLS is off for sockets and under
/// `sslmode=disable`), so a placeholder name is safe.
#[derive(Clone)]
pub struct DatabaseConnector(tokio_postgres_rustls::MakeRustlsConnect);

impl std::fmt::Debug for DatabaseConnector {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("DatabaseConnector")
    }
}

impl<S> postgres::tls::MakeTlsConnect<S> for DatabaseConnector
where
    tokio_postgres_rustls::MakeRustlsConnect: postgres::tls::MakeTlsConnect<S>,
{
    type Stream =
        <tokio_postgres_rustls::MakeRustlsConnect as postgres::tls::MakeTlsConnect<S>>::Stream;
    type TlsConnect =
        <tokio_postgres_rustls::MakeRustlsConnect as postgres::tls::MakeTlsConnect<S>>::TlsConnect;
    type Error =
        <tokio_postgres_rustls::MakeRustlsConnect as postgres::tls::MakeTlsConnect<S>>::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<Self::TlsConnect, Self::Error> {
        let domain = if domain.is_empty() || domain.starts_with('/') {
            "socket.invalid"
        } else {
            domain
        };
        self.0.make_tls_connect(domain)
    }
}

pub struct PostgresStore {
    /// Always `Some` until the store is dropped.
    pool: Option<Pool<Manager>>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("PostgresStore")
            .field("open", &self.pool.is_some())
            .finish()
    }
}

impl Drop for PostgresStore {
    /// The synchronous client closes a connection by running a small runtime
    /// of its own, which it may not do on an async runtime's thread, where the
    /// last reference to the store may well be dropped. So the pool is
    /// dropped on a thread of its own.
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            let closing = std::thread::spawn(move || drop(pool));
            if closing.join().is_err() {
                tracing::warn!("closing the database connections failed");
            }
        }
    }
}

impl From<postgres::Error> for ServerError {
    fn from(error: postgres::Error) -> Self {
        // Only the SQLSTATE: messages can quote values.
        match error.code() {
            Some(code) => ServerError::Storage(format!("postgres {}", code.code())),
            None => ServerError::Storage("postgres connection error".to_owned()),
        }
    }
}

impl From<r2d2::Error> for ServerError {
    fn from(_: r2d2::Error) -> Self {
        ServerError::Storage("no database connection available".to_owned())
    }
}

fn to_i64(value: u64) -> ServerResult<i64> {
    i64::try_from(value).map_err(|_| ServerError::Invalid("number out of range".to_owned()))
}

fn to_u64(value: i64) -> ServerResult<u64> {
    u64::try_from(value).map_err(|_| ServerError::Storage("negative number in store".to_owned()))
}

impl PostgresStore {
    /// Connects with a libpq-style configuration (`host=… user=… dbname=…`)
    /// and brings the schema up to date. See [`database_tls`] for `sslmode`
    /// and `sslrootcert`.
    pub fn open(configuration: &str, pool_size: u32) -> ServerResult<Self> {
        let (configuration, tls) = database_tls(configuration)?;
        let config: postgres::Config = configuration
            .parse()
            .map_err(|_| ServerError::Invalid("postgres configuration".to_owned()))?;
        let config = tls.apply(config);
        let connector = tls.connector()?;
        // One connection first, so that a database that cannot be reached or
        // whose certificate is not trusted is reported at once and in words,
        // not as an empty pool ten seconds later.
        config
            .connect(connector.clone())
            .map_err(|error| match tls_failure(&error) {
                Some(reason) => ServerError::Certificate(format!("the database's TLS: {reason}")),
                None => ServerError::from(error),
            })?;
        let pool = Pool::builder()
            .max_size(pool_size)
            .connection_timeout(Duration::from_secs(10))
            .build(PostgresConnectionManager::new(config, connector))?;
        let store = Self { pool: Some(pool) };
        store.migrate()?;
        Ok(store)
    }

    fn connection(&self) -> ServerResult<PooledConnection<Manager>> {
        let pool = self
            .pool
            .as_ref()
            .ok_or_else(|| ServerError::Storage("the store is closed".to_owned()))?;
        Ok(pool.get()?)
    }

    /// Applies the folders of `migrations/server/postgres` in order, each
    /// once, under an advisory lock so that two stores starting together do
    /// not both migrate; refuses a database whose applied migrations differ
    /// from this build's (see [`crate::migrations`]).
    fn migrate(&self) -> ServerResult<()> {
        let migrations = migrations::load(&MIGRATIONS_DIR)?;
        let mut connection = self.connection()?;
        // Databases migrated before checksums were kept lack the column.
        connection.batch_execute(&format!(
            "{}; ALTER TABLE kluis_schema_migration ADD COLUMN IF NOT EXISTS checksum TEXT",
            migrations::LEDGER_TABLE
        ))?;
        let mut transaction = connection.transaction()?;
        transaction.execute("SELECT pg_advisory_xact_lock(7513)", &[])?;
        migrations::run(&mut transaction, &migrations)?;
        transaction.commit()?;
        Ok(())
    }
}

impl Ledger for postgres::Transaction<'_> {
    fn applied(&mut self) -> ServerResult<Vec<(i64, Option<String>)>> {
        Ok(self
            .query(migrations::APPLIED, &[])?
            .iter()
            .map(|row| (i64::from(row.get::<_, i32>(0)), row.get(1)))
            .collect())
    }

    fn execute_migration(&mut self, sql: &str) -> ServerResult<()> {
        Ok(self.batch_execute(sql)?)
    }

    fn record_applied(&mut self, migration: &Migration) -> ServerResult<()> {
        self.execute(
            &sql::for_postgres(migrations::RECORD_APPLIED),
            &[
                &version_number(migration.version)?,
                &now(),
                &migration.checksum,
            ],
        )?;
        Ok(())
    }

    fn record_checksum(&mut self, migration: &Migration) -> ServerResult<()> {
        self.execute(
            &sql::for_postgres(migrations::RECORD_CHECKSUM),
            &[&version_number(migration.version)?, &migration.checksum],
        )?;
        Ok(())
    }
}

/// A migration's number as the `INTEGER` column holds it.
fn version_number(version: i64) -> ServerResult<i32> {
    i32::try_from(version).map_err(|_| ServerError::Storage("too many migrations".to_owned()))
}

/// How the store talks to PostgreSQL, from the configuration's `sslmode`:
/// in clear text over a Unix socket or a trusted network (absent or
/// `disable`), or over TLS (`require`, `verify-ca`, `verify-full`), where the
/// database's certificate is always verified, name included, against the CA
/// in `sslrootcert` (stricter than libpq's `require`, which checks nothing).
/// `prefer` and `allow` are refused: they fall back to clear text unseen.
#[derive(Debug)]
pub struct DatabaseTls {
    roots: Option<rustls::RootCertStore>,
}

/// Takes the TLS settings out of a libpq-style configuration (the PostgreSQL
/// client parses `sslmode` only partly and not `sslrootcert`); returns the
/// rest and what to connect with.
pub fn database_tls(configuration: &str) -> ServerResult<(String, DatabaseTls)> {
    let mut mode = None;
    let mut root_file = None;
    let mut rest = Vec::new();
    for pair in configuration.split_whitespace() {
        match pair.split_once('=') {
            Some(("sslmode", value)) => mode = Some(value.to_owned()),
            Some(("sslrootcert", value)) => root_file = Some(value.to_owned()),
            _ => rest.push(pair),
        }
    }
    let invalid = |reason: &str| ServerError::Invalid(format!("postgres configuration: {reason}"));
    let roots = match mode.as_deref() {
        None | Some("disable") => None,
        Some("require" | "verify-ca" | "verify-full") => {
            let path = root_file.ok_or_else(|| {
                invalid("sslmode asks for TLS: give the database's CA as sslrootcert=FILE")
            })?;
            let pem = std::fs::read(&path).map_err(ServerError::io(&path))?;
            let mut roots = rustls::RootCertStore::empty();
            for certificate in rustls_pki_types::CertificateDer::pem_slice_iter(&pem) {
                roots
                    .add(certificate.map_err(|_| invalid("sslrootcert is not a PEM certificate"))?)
                    .map_err(|_| invalid("sslrootcert is not a usable CA"))?;
            }
            if roots.is_empty() {
                return Err(invalid("sslrootcert holds no certificate"));
            }
            Some(roots)
        }
        Some(_) => {
            return Err(invalid(
                "sslmode must be disable, require, verify-ca or verify-full",
            ));
        }
    };
    Ok((rest.join(" "), DatabaseTls { roots }))
}

/// The TLS error among a connection error's causes, if that is what it was.
fn tls_failure(error: &postgres::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(current) = cause {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls.to_string());
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(tls) = inner.downcast_ref::<rustls::Error>()
        {
            return Some(tls.to_string());
        }
        cause = current.source();
    }
    None
}

impl DatabaseTls {
    fn apply(&self, mut config: postgres::Config) -> postgres::Config {
        config.ssl_mode(if self.roots.is_some() {
            SslMode::Require
        } else {
            SslMode::Disable
        });
        config
    }

    /// With no roots (TLS off) the connector is never used.
    fn connector(&self) -> ServerResult<DatabaseConnector> {
        let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|error| ServerError::Certificate(error.to_string()))?
        .with_root_certificates(
            self.roots
                .clone()
                .unwrap_or_else(rustls::RootCertStore::empty),
        )
        .with_no_client_auth();
        Ok(DatabaseConnector(
            tokio_postgres_rustls::MakeRustlsConnect::new(config),
        ))
    }
}

impl Columns for postgres::Row {
    fn text(&self, index: usize) -> ServerResult<String> {
        Ok(self.try_get(index)?)
    }

    fn optional_text(&self, index: usize) -> ServerResult<Option<String>> {
        Ok(self.try_get(index)?)
    }

    fn flag(&self, index: usize) -> ServerResult<bool> {
        Ok(self.try_get(index)?)
    }

    fn number(&self, index: usize) -> ServerResult<u64> {
        to_u64(self.try_get(index)?)
    }
}

/// Every row a statement returns, each made into a value by `from`.
fn rows<T>(
    client: &mut impl postgres::GenericClient,
    statement: &str,
    parameters: &[&(dyn postgres::types::ToSql + Sync)],
    from: fn(&postgres::Row) -> ServerResult<T>,
) -> ServerResult<Vec<T>> {
    client
        .query(&sql::for_postgres(statement), parameters)?
        .iter()
        .map(from)
        .collect()
}

/// The one row a statement returns, if there is one.
fn optional_row<T>(
    client: &mut impl postgres::GenericClient,
    statement: &str,
    parameters: &[&(dyn postgres::types::ToSql + Sync)],
    from: fn(&postgres::Row) -> ServerResult<T>,
) -> ServerResult<Option<T>> {
    client
        .query_opt(&sql::for_postgres(statement), parameters)?
        .as_ref()
        .map(from)
        .transpose()
}

struct PostgresTransaction<'a, 'b> {
    transaction: &'a mut postgres::Transaction<'b>,
}

fn next_seq(transaction: &mut postgres::Transaction<'_>) -> ServerResult<u64> {
    to_u64(transaction.query_one(sql::NEXT_SEQ, &[])?.get(0))
}

impl Transaction for PostgresTransaction<'_, '_> {
    /// Under READ COMMITTED two transactions could both read version 1 and
    /// both write version 2, losing one change; an advisory lock on the
    /// record's key (it may not exist yet, so a row lock would not do) makes
    /// the second wait until the first commits and then read its version.
    fn lock_record(&mut self, kind: RecordKind, id: &str) -> ServerResult<()> {
        self.transaction.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 7513))",
            &[&kind.as_str(), &id],
        )?;
        Ok(())
    }

    fn applied_operation(&mut self, device_id: &str, op_id: &str) -> ServerResult<Option<u64>> {
        optional_row(
            self.transaction,
            sql::APPLIED_OPERATION,
            &[&device_id, &op_id],
            |row| row.number(0),
        )
    }

    fn remember_operation(
        &mut self,
        op_id: &str,
        device_id: &str,
        version: u64,
    ) -> ServerResult<()> {
        self.transaction.execute(
            &sql::for_postgres(sql::REMEMBER_OPERATION),
            &[&op_id, &device_id, &to_i64(version)?, &now()],
        )?;
        Ok(())
    }

    fn record(&mut self, kind: RecordKind, id: &str) -> ServerResult<Option<StoredRecord>> {
        let kind = kind.as_str();
        let Some(mut record) = optional_row(
            self.transaction,
            &sql::record_by_key(),
            &[&kind, &id],
            sql::record_from,
        )?
        else {
            return Ok(None);
        };
        record.access.client_ids = rows(
            self.transaction,
            sql::RECORD_CLIENTS,
            &[&kind, &id],
            |row| row.text(0),
        )?;
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
        self.transaction.execute(
            &sql::for_postgres(sql::WRITE_RECORD),
            &[
                &kind,
                &id,
                &to_i64(version)?,
                &to_i64(seq)?,
                &body.is_none(),
                &access.owner_id,
                &access.visibility.map(|visibility| visibility.as_str()),
                &access.status.map(|status| status.as_str()),
                &body,
            ],
        )?;
        self.transaction.execute(
            &sql::for_postgres(sql::FORGET_RECORD_CLIENTS),
            &[&kind, &id],
        )?;
        for client_id in &access.client_ids {
            self.transaction.execute(
                &sql::for_postgres(sql::ADD_RECORD_CLIENT),
                &[&kind, &id, client_id],
            )?;
        }
        Ok(seq)
    }

    fn is_assigned(&mut self, client_id: &str, practitioner_id: &str) -> ServerResult<bool> {
        Ok(optional_row(
            self.transaction,
            sql::IS_ASSIGNED,
            &[&client_id, &practitioner_id],
            |_| Ok(()),
        )?
        .is_some())
    }

    fn assign(&mut self, client_id: &str, practitioner_id: &str) -> ServerResult<()> {
        let added = self.transaction.execute(
            "INSERT INTO assignment (client_id, practitioner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&client_id, &practitioner_id],
        )?;
        if added == 0 {
            return Ok(());
        }
        // As in SQLite: the client's records move to the end of the feed.
        let records = rows(
            self.transaction,
            &sql::client_records(),
            &[&client_id],
            |row| Ok((row.text(0)?, row.text(1)?)),
        )?;
        for (kind, id) in records {
            let seq = to_i64(next_seq(self.transaction)?)?;
            self.transaction
                .execute(&sql::for_postgres(sql::MOVE_RECORD), &[&kind, &id, &seq])?;
        }
        Ok(())
    }

    fn audit_last(&mut self, chain_id: &str) -> ServerResult<Option<(u64, String)>> {
        optional_row(self.transaction, sql::AUDIT_LAST, &[&chain_id], |row| {
            Ok((row.number(0)?, row.text(1)?))
        })
    }

    fn audit_hash(&mut self, chain_id: &str, seq: u64) -> ServerResult<Option<String>> {
        optional_row(
            self.transaction,
            sql::AUDIT_HASH,
            &[&chain_id, &to_i64(seq)?],
            |row| row.text(0),
        )
    }

    fn audit_chain_device(&mut self, chain_id: &str, device_id: &str) -> ServerResult<String> {
        // The insert takes the row's lock (or waits for the one that does).
        self.transaction.execute(
            &sql::for_postgres(sql::START_AUDIT_CHAIN),
            &[&chain_id, &device_id, &now()],
        )?;
        Ok(self
            .transaction
            .query_one(
                "SELECT device_id FROM audit_chain WHERE chain_id = $1 FOR UPDATE",
                &[&chain_id],
            )?
            .get(0))
    }

    fn append_audit(&mut self, entry: &AuditEntry, device_id: &str) -> ServerResult<()> {
        self.transaction.execute(
            &sql::for_postgres(sql::APPEND_AUDIT),
            &[
                &entry.chain_id,
                &to_i64(entry.seq)?,
                &entry.id,
                &entry.occurred_at,
                &entry.actor_id,
                &entry.actor_name,
                &entry.actor_role,
                &entry.on_behalf_of,
                &entry.action,
                &entry.client_id,
                &entry.record_part,
                &entry.record_id,
                &entry.outcome,
                &entry.prev_hash,
                &entry.hash,
                &device_id,
                &now(),
                &i32::try_from(entry.hash_version)
                    .map_err(|_| ServerError::Invalid("hash version".to_owned()))?,
            ],
        )?;
        Ok(())
    }

    /// `FOR UPDATE`: a second request with the same token waits here until
    /// the first commits, then sees it used.
    fn enrollment_token(&mut self, secret_hash: &str) -> ServerResult<Option<StoredToken>> {
        optional_row(
            self.transaction,
            &format!("{} FOR UPDATE", sql::ENROLLMENT_TOKEN),
            &[&secret_hash],
            sql::token_from,
        )
    }

    fn use_enrollment_token(&mut self, secret_hash: &str, used_at: &str) -> ServerResult<()> {
        self.transaction.execute(
            &sql::for_postgres(sql::USE_ENROLLMENT_TOKEN),
            &[&secret_hash, &used_at],
        )?;
        Ok(())
    }

    fn add_device(&mut self, device: &Device) -> ServerResult<()> {
        self.transaction.execute(
            &sql::for_postgres(sql::ADD_DEVICE),
            &[
                &device.id,
                &device.practitioner_id,
                &device.cert_fingerprint,
                &device.created_at,
                &device.cert_serial,
                &device.key_words,
            ],
        )?;
        Ok(())
    }

    fn device_exists(&mut self, device_id: &str) -> ServerResult<bool> {
        Ok(
            optional_row(self.transaction, sql::DEVICE_EXISTS, &[&device_id], |_| {
                Ok(())
            })?
            .is_some(),
        )
    }

    fn practitioner(&mut self, id: &str) -> ServerResult<Option<Practitioner>> {
        optional_row(self.transaction, sql::PRACTITIONER_BY_ID, &[&id], |row| {
            sql::practitioner_from(row, 0)
        })
    }

    fn device(&mut self, device_id: &str) -> ServerResult<Option<Device>> {
        optional_row(
            self.transaction,
            &sql::device_by_id(),
            &[&device_id],
            sql::device_from,
        )
    }

    fn revoke_device(&mut self, device_id: &str, at: &str) -> ServerResult<bool> {
        let changed = self
            .transaction
            .execute(&sql::for_postgres(sql::REVOKE_DEVICE), &[&device_id, &at])?;
        Ok(changed == 1)
    }

    fn request_wipe(&mut self, device_id: &str) -> ServerResult<()> {
        self.transaction
            .execute(&sql::for_postgres(sql::REQUEST_WIPE), &[&device_id])?;
        Ok(())
    }

    fn mark_wiped(&mut self, device_id: &str, wiped_at: &str, at: &str) -> ServerResult<()> {
        self.transaction.execute(
            &sql::for_postgres(sql::MARK_WIPED),
            &[&device_id, &wiped_at, &at],
        )?;
        Ok(())
    }

    fn record_contact(
        &mut self,
        device_id: &str,
        at: &str,
        policy_hash: Option<&str>,
    ) -> ServerResult<()> {
        self.transaction.execute(
            &sql::for_postgres(sql::RECORD_CONTACT),
            &[&device_id, &at, &policy_hash],
        )?;
        Ok(())
    }

    fn add_device_event(
        &mut self,
        device_id: &str,
        kind: DeviceEventKind,
        detail: &str,
        at: &str,
    ) -> ServerResult<()> {
        self.transaction.execute(
            &sql::for_postgres(sql::ADD_DEVICE_EVENT),
            &[&device_id, &at, &kind.as_str(), &detail],
        )?;
        Ok(())
    }

    fn device_events(&mut self, device_id: &str) -> ServerResult<Vec<DeviceEvent>> {
        rows(
            self.transaction,
            sql::DEVICE_EVENTS,
            &[&device_id],
            sql::device_event_from,
        )
    }

    fn record_keys_of_client(
        &mut self,
        client_id: &str,
    ) -> ServerResult<Vec<(RecordKind, String)>> {
        rows(
            self.transaction,
            sql::RECORD_KEYS_OF_CLIENT,
            &[&client_id],
            sql::record_key_from,
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
        let seq = to_i64(seq)?;
        let practitioner = maker.map(|(practitioner, _)| practitioner);
        let device = maker.map(|(_, device)| device);
        self.transaction.execute(
            &sql::for_postgres(sql::ADD_ERASURE),
            &[
                &client_id,
                &erased_at,
                &practitioner,
                &device,
                &seq,
                &reason.as_str(),
            ],
        )?;
        self.transaction
            .execute(&sql::for_postgres(sql::ADD_ERASURE_DEVICES), &[&client_id])?;
        Ok(())
    }

    fn acknowledge_erasures(&mut self, device_id: &str, cursor: u64, at: &str) -> ServerResult<()> {
        let cursor = to_i64(cursor)?;
        self.transaction.execute(
            &sql::for_postgres(sql::ACKNOWLEDGE_ERASURES),
            &[&device_id, &cursor, &at],
        )?;
        Ok(())
    }

    fn erasures(&mut self) -> ServerResult<Vec<ErasureStatus>> {
        rows(self.transaction, sql::ERASURES, &[], sql::erasure_from)
    }

    fn was_erased(&mut self, client_id: &str) -> ServerResult<bool> {
        Ok(optional_row(self.transaction, sql::WAS_ERASED, &[&client_id], |_| Ok(()))?.is_some())
    }

    fn mark_feed(&mut self, at: &str) -> ServerResult<()> {
        self.transaction
            .execute(&sql::for_postgres(sql::MARK_FEED), &[&at])?;
        Ok(())
    }

    fn feed_mark_before(&mut self, at: &str) -> ServerResult<Option<u64>> {
        optional_row(self.transaction, sql::FEED_MARK_BEFORE, &[&at], |row| {
            row.number(0)
        })
    }

    fn prune_tombstones(&mut self, through: u64, at: &str) -> ServerResult<u64> {
        let through = to_i64(through)?;
        self.transaction
            .execute(&sql::for_postgres(sql::PRUNE_TOMBSTONE_LINKS), &[&through])?;
        let removed = self
            .transaction
            .execute(&sql::for_postgres(sql::PRUNE_TOMBSTONES), &[&through])?;
        self.transaction
            .execute(&sql::for_postgres(sql::ADVANCE_HORIZON), &[&through, &at])?;
        Ok(removed)
    }

    fn forget_feed_marks(&mut self, before: &str) -> ServerResult<()> {
        self.transaction
            .execute(&sql::for_postgres(sql::FORGET_FEED_MARKS), &[&before])?;
        Ok(())
    }

    fn note_full_pull(&mut self, device_id: &str, horizon: u64) -> ServerResult<()> {
        let horizon = to_i64(horizon)?;
        self.transaction.execute(
            &sql::for_postgres(sql::NOTE_FULL_PULL),
            &[&device_id, &horizon],
        )?;
        Ok(())
    }

    fn full_pull_horizon(&mut self, device_id: &str) -> ServerResult<Option<u64>> {
        optional_row(
            self.transaction,
            sql::FULL_PULL_HORIZON,
            &[&device_id],
            |row| row.number(0),
        )
    }

    fn pruned_through(&mut self) -> ServerResult<u64> {
        Ok(
            optional_row(self.transaction, sql::PRUNED_THROUGH, &[], |row| {
                row.number(0)
            })?
            .unwrap_or(0),
        )
    }
}

impl Feed for PostgresStore {
    fn feed(&self, practitioner_id: &str, cursor: u64, limit: u32) -> ServerResult<FeedPage> {
        let mut connection = self.connection()?;
        let records = rows(
            &mut *connection,
            &sql::feed_page(),
            &[&practitioner_id, &to_i64(cursor)?, &i64::from(limit)],
            sql::record_from,
        )?;
        // A page that is not full is the end of the feed: no need to count.
        let remaining = if records.len() < limit as usize {
            0
        } else {
            let after = records.last().map_or(cursor, |record| record.seq);
            to_u64(
                connection
                    .query_one(
                        &sql::for_postgres(&sql::feed_remaining()),
                        &[&practitioner_id, &to_i64(after)?],
                    )?
                    .get(0),
            )?
        };
        Ok(FeedPage { records, remaining })
    }
}

impl Store for PostgresStore {
    fn transaction<T>(
        &self,
        work: impl FnOnce(&mut dyn Transaction) -> ServerResult<T>,
    ) -> ServerResult<T> {
        let mut connection = self.connection()?;
        let mut transaction = connection.transaction()?;
        let value = work(&mut PostgresTransaction {
            transaction: &mut transaction,
        })?;
        transaction.commit()?;
        Ok(value)
    }

    fn add_practitioner(&self, practitioner: &Practitioner) -> ServerResult<()> {
        self.connection()?.execute(
            &sql::for_postgres(sql::ADD_PRACTITIONER),
            &[
                &practitioner.id,
                &practitioner.display_name,
                &practitioner.role.as_str(),
                &now(),
            ],
        )?;
        Ok(())
    }

    fn practitioner(&self, id: &str) -> ServerResult<Option<Practitioner>> {
        optional_row(
            &mut *self.connection()?,
            sql::PRACTITIONER_BY_ID,
            &[&id],
            |row| sql::practitioner_from(row, 0),
        )
    }

    fn add_device(&self, device: &Device) -> ServerResult<()> {
        self.transaction(|transaction| transaction.add_device(device))
    }

    fn access_log(&self, query: &AccessLogQuery) -> ServerResult<Vec<AccessLogLine>> {
        rows(
            &mut *self.connection()?,
            sql::ACCESS_LOG,
            &[
                &query.client_id,
                &query.practitioner_id,
                &query.from,
                &query.to,
            ],
            sql::access_log_line_from,
        )
    }

    fn live_bodies(&self, kind: RecordKind) -> ServerResult<Vec<String>> {
        rows(
            &mut *self.connection()?,
            &sql::for_postgres(sql::LIVE_BODIES),
            &[&kind.as_str()],
            |row| row.text(0),
        )
    }

    fn client_id_by_code(&self, code: &str) -> ServerResult<Option<String>> {
        optional_row(
            &mut *self.connection()?,
            "SELECT id FROM record WHERE kind = 'client' AND NOT deleted \
             AND (body::jsonb) ->> 'client_code' = ?1",
            &[&code],
            |row| row.text(0),
        )
    }

    fn add_enrollment_token(&self, token: &StoredToken) -> ServerResult<()> {
        self.connection()?.execute(
            &sql::for_postgres(sql::ADD_ENROLLMENT_TOKEN),
            &[
                &token.secret_hash,
                &token.practitioner_id,
                &token.device_id,
                &token.created_at,
                &token.expires_at,
            ],
        )?;
        Ok(())
    }

    fn caller_by_fingerprint(&self, fingerprint: &str) -> ServerResult<Option<Caller>> {
        optional_row(
            &mut *self.connection()?,
            &sql::caller_by_fingerprint(),
            &[&fingerprint],
            sql::caller_from,
        )
    }

    fn list_devices(&self) -> ServerResult<Vec<Device>> {
        rows(&mut *self.connection()?, &sql::list_devices(), &[], |row| {
            sql::device_from(row)
        })
    }

    fn assign(&self, client_id: &str, practitioner_id: &str) -> ServerResult<()> {
        self.transaction(|transaction| transaction.assign(client_id, practitioner_id))
    }

    fn is_assigned(&self, client_id: &str, practitioner_id: &str) -> ServerResult<bool> {
        self.transaction(|transaction| transaction.is_assigned(client_id, practitioner_id))
    }

    fn purge_after_erasure(&self) -> ServerResult<()> {
        // PostgreSQL keeps replaced row versions until VACUUM frees their
        // space for reuse. It never zeroes that space (it has no secure
        // delete), so an erased record's old bytes may stay on disk until
        // overwritten, unreadable through the store.
        self.connection()?
            .batch_execute("VACUUM record, record_client")?;
        Ok(())
    }
}
