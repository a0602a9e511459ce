//! The PostgreSQL back end (production): the same [`Store`] as SQLite, on a
//! connection pool. It scales out on PostgreSQL's own replication; the store
//! itself keeps no state between requests.

use std::time::Duration;

use include_dir::{Dir, include_dir};
use postgres::config::SslMode;
use r2d2::{Pool, PooledConnection};
use r2d2_postgres::PostgresConnectionManager;
use rustls_pki_types::pem::PemObject;

use crate::error::{ServerError, ServerResult};
use crate::migrations;
use crate::sql;
use crate::store::{
    Access, Caller, Device, Feed, FeedPage, Practitioner, Store, StoredRecord, Transaction,
    role_from_stored,
};
use kluis_protocol::AuditEntry;

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

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
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
        connection.batch_execute(
            "CREATE TABLE IF NOT EXISTS kluis_schema_migration (\
             version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL); \
             ALTER TABLE kluis_schema_migration ADD COLUMN IF NOT EXISTS checksum TEXT",
        )?;
        let mut transaction = connection.transaction()?;
        transaction.execute("SELECT pg_advisory_xact_lock(7513)", &[])?;
        let applied: Vec<(i64, Option<String>)> = transaction
            .query(
                "SELECT version, checksum FROM kluis_schema_migration ORDER BY version",
                &[],
            )?
            .iter()
            .map(|row| (i64::from(row.get::<_, i32>(0)), row.get(1)))
            .collect();
        let (to_apply, to_record) = migrations::plan(&migrations, &applied)?;
        for migration in to_record {
            transaction.execute(
                "UPDATE kluis_schema_migration SET checksum = $2 WHERE version = $1",
                &[&version_number(migration.version)?, &migration.checksum],
            )?;
        }
        for migration in to_apply {
            transaction.batch_execute(migration.sql)?;
            transaction.execute(
                "INSERT INTO kluis_schema_migration (version, applied_at, checksum) VALUES ($1, $2, $3)",
                &[&version_number(migration.version)?, &now(), &migration.checksum],
            )?;
        }
        transaction.commit()?;
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

struct PostgresTransaction<'a, 'b> {
    transaction: &'a mut postgres::Transaction<'b>,
}

fn record_from_row(row: &postgres::Row) -> ServerResult<StoredRecord> {
    Ok(StoredRecord {
        kind: row.get(0),
        id: row.get(1),
        version: to_u64(row.get(2))?,
        seq: to_u64(row.get(3))?,
        deleted: row.get(4),
        access: Access {
            client_ids: Vec::new(),
            owner_id: row.get(5),
            visibility: row.get(6),
            status: row.get(7),
        },
        body: row.get(8),
    })
}

fn next_seq(transaction: &mut postgres::Transaction<'_>) -> ServerResult<u64> {
    let seq: i64 = transaction
        .query_one(
            "UPDATE feed_counter SET seq = seq + 1 WHERE singleton = 1 RETURNING seq",
            &[],
        )?
        .get(0);
    to_u64(seq)
}

impl Transaction for PostgresTransaction<'_, '_> {
    /// Under READ COMMITTED two transactions could both read version 1 and
    /// both write version 2, losing one change; an advisory lock on the
    /// record's key (it may not exist yet, so a row lock would not do) makes
    /// the second wait until the first commits and then read its version.
    fn lock_record(&mut self, kind: &str, id: &str) -> ServerResult<()> {
        self.transaction.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 7513))",
            &[&kind, &id],
        )?;
        Ok(())
    }

    fn applied_operation(&mut self, device_id: &str, op_id: &str) -> ServerResult<Option<u64>> {
        self.transaction
            .query_opt(
                "SELECT version FROM applied_operation WHERE device_id = $1 AND op_id = $2",
                &[&device_id, &op_id],
            )?
            .map(|row| to_u64(row.get(0)))
            .transpose()
    }

    fn remember_operation(
        &mut self,
        op_id: &str,
        device_id: &str,
        version: u64,
    ) -> ServerResult<()> {
        self.transaction.execute(
            "INSERT INTO applied_operation (op_id, device_id, version, applied_at) VALUES ($1, $2, $3, $4)",
            &[&op_id, &device_id, &to_i64(version)?, &now()],
        )?;
        Ok(())
    }

    fn record(&mut self, kind: &str, id: &str) -> ServerResult<Option<StoredRecord>> {
        let Some(row) = self
            .transaction
            .query_opt(&sql::for_postgres(&sql::record_by_key()), &[&kind, &id])?
        else {
            return Ok(None);
        };
        let mut record = record_from_row(&row)?;
        record.access.client_ids = self
            .transaction
            .query(&sql::for_postgres(sql::RECORD_CLIENTS), &[&kind, &id])?
            .iter()
            .map(|row| row.get(0))
            .collect();
        Ok(Some(record))
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
        self.transaction.execute(
            &sql::for_postgres(sql::WRITE_RECORD),
            &[
                &kind,
                &id,
                &to_i64(version)?,
                &to_i64(seq)?,
                &body.is_none(),
                &access.owner_id,
                &access.visibility,
                &access.status,
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
        Ok(self
            .transaction
            .query_opt(
                &sql::for_postgres(sql::IS_ASSIGNED),
                &[&client_id, &practitioner_id],
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
        let records: Vec<(String, String)> = self
            .transaction
            .query(&sql::for_postgres(&sql::client_records()), &[&client_id])?
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        for (kind, id) in records {
            let seq = to_i64(next_seq(self.transaction)?)?;
            self.transaction
                .execute(&sql::for_postgres(sql::MOVE_RECORD), &[&kind, &id, &seq])?;
        }
        Ok(())
    }

    fn audit_last(&mut self, chain_id: &str) -> ServerResult<Option<(u64, String)>> {
        self.transaction
            .query_opt(
                "SELECT seq, hash FROM audit_log WHERE chain_id = $1 ORDER BY seq DESC LIMIT 1",
                &[&chain_id],
            )?
            .map(|row| Ok((to_u64(row.get(0))?, row.get(1))))
            .transpose()
    }

    fn audit_hash(&mut self, chain_id: &str, seq: u64) -> ServerResult<Option<String>> {
        Ok(self
            .transaction
            .query_opt(
                "SELECT hash FROM audit_log WHERE chain_id = $1 AND seq = $2",
                &[&chain_id, &to_i64(seq)?],
            )?
            .map(|row| row.get(0)))
    }

    fn audit_chain_device(&mut self, chain_id: &str, device_id: &str) -> ServerResult<String> {
        // The insert takes the row's lock (or waits for the one that does).
        self.transaction.execute(
            "INSERT INTO audit_chain (chain_id, device_id, started_at) VALUES ($1, $2, $3) \
             ON CONFLICT (chain_id) DO NOTHING",
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
            "INSERT INTO audit_log (chain_id, seq, id, occurred_at, actor_id, actor_name, actor_role, \
             on_behalf_of, action, client_id, record_part, record_id, outcome, prev_hash, hash, \
             device_id, received_at, hash_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
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
}

impl Feed for PostgresStore {
    fn feed(&self, practitioner_id: &str, cursor: u64, limit: u32) -> ServerResult<FeedPage> {
        let mut connection = self.connection()?;
        let records = connection
            .query(
                &sql::for_postgres(&sql::feed_page()),
                &[&practitioner_id, &to_i64(cursor)?, &i64::from(limit)],
            )?
            .iter()
            .map(record_from_row)
            .collect::<ServerResult<Vec<_>>>()?;
        // A page that is not full is the end of the feed: no need to count.
        let remaining: i64 = if records.len() < limit as usize {
            0
        } else {
            let after = records.last().map_or(cursor, |record| record.seq);
            connection
                .query_one(
                    &sql::for_postgres(&sql::feed_remaining()),
                    &[&practitioner_id, &to_i64(after)?],
                )?
                .get(0)
        };
        Ok(FeedPage {
            records,
            remaining: to_u64(remaining)?,
        })
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
            "INSERT INTO practitioner (id, display_name, role, created_at) VALUES ($1, $2, $3, $4)",
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
        self.connection()?
            .query_opt(
                "SELECT id, display_name, role FROM practitioner WHERE id = $1",
                &[&id],
            )?
            .map(|row| {
                let role: String = row.get(2);
                Ok(Practitioner {
                    id: row.get(0),
                    display_name: row.get(1),
                    role: role_from_stored(&role)?,
                })
            })
            .transpose()
    }

    fn add_device(&self, device: &Device) -> ServerResult<()> {
        self.connection()?.execute(
            "INSERT INTO device (id, practitioner_id, cert_fingerprint, created_at, revoked_at, wipe_requested, cert_serial) \
             VALUES ($1, $2, $3, $4, NULL, FALSE, $5)",
            &[
                &device.id,
                &device.practitioner_id,
                &device.cert_fingerprint,
                &device.created_at,
                &device.cert_serial,
            ],
        )?;
        Ok(())
    }

    fn caller_by_fingerprint(&self, fingerprint: &str) -> ServerResult<Option<Caller>> {
        let Some(row) = self.connection()?.query_opt(
            "SELECT d.id, d.practitioner_id, d.cert_fingerprint, d.created_at, d.revoked_at, \
             d.wipe_requested, p.id, p.display_name, p.role, d.cert_serial FROM device d \
             JOIN practitioner p ON p.id = d.practitioner_id WHERE d.cert_fingerprint = $1",
            &[&fingerprint],
        )?
        else {
            return Ok(None);
        };
        let role: String = row.get(8);
        Ok(Some(Caller {
            device: Device {
                id: row.get(0),
                practitioner_id: row.get(1),
                cert_fingerprint: row.get(2),
                created_at: row.get(3),
                revoked_at: row.get(4),
                wipe_requested: row.get(5),
                cert_serial: row.get(9),
            },
            practitioner: Practitioner {
                id: row.get(6),
                display_name: row.get(7),
                role: role_from_stored(&role)?,
            },
        }))
    }

    fn list_devices(&self) -> ServerResult<Vec<Device>> {
        Ok(self
            .connection()?
            .query(
                "SELECT id, practitioner_id, cert_fingerprint, created_at, revoked_at, wipe_requested, \
                 cert_serial FROM device ORDER BY created_at, id",
                &[],
            )?
            .iter()
            .map(|row| Device {
                id: row.get(0),
                practitioner_id: row.get(1),
                cert_fingerprint: row.get(2),
                created_at: row.get(3),
                revoked_at: row.get(4),
                wipe_requested: row.get(5),
                cert_serial: row.get(6),
            })
            .collect())
    }

    fn revoke_device(&self, device_id: &str) -> ServerResult<bool> {
        let changed = self.connection()?.execute(
            "UPDATE device SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
            &[&device_id, &now()],
        )?;
        Ok(changed == 1)
    }

    fn assign(&self, client_id: &str, practitioner_id: &str) -> ServerResult<()> {
        self.transaction(|transaction| transaction.assign(client_id, practitioner_id))
    }

    fn is_assigned(&self, client_id: &str, practitioner_id: &str) -> ServerResult<bool> {
        self.transaction(|transaction| transaction.is_assigned(client_id, practitioner_id))
    }
}
