//! Opening the SQLCipher database with a raw key, and the schema migrations.

use std::path::Path;
use std::sync::LazyLock;

use include_dir::{Dir, include_dir};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::Migrations;
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};
use crate::vault::header::SqlcipherSettings;
use crate::vault::secret::DataKey;

static VAULT_MIGRATIONS_DIR: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/../../migrations/vault");

static VAULT_MIGRATIONS: LazyLock<Result<Migrations<'static>, String>> = LazyLock::new(|| {
    Migrations::from_directory(&VAULT_MIGRATIONS_DIR).map_err(|error| error.to_string())
});

/// The SQLCipher version linked into this binary.
pub fn cipher_version() -> CoreResult<String> {
    let connection = Connection::open_in_memory()?;
    Ok(connection.query_row("PRAGMA cipher_version", [], |row| row.get(0))?)
}

/// Opens (or creates) the encrypted database with the raw data key. The key is
/// handed to SQLCipher as `x'…'`, so SQLCipher runs no passphrase KDF of its own.
pub fn open_encrypted(
    path: &Path,
    data_key: &DataKey,
    settings: &SqlcipherSettings,
    create: bool,
) -> CoreResult<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let connection = Connection::open_with_flags(path, flags)?;
    // Memory security is process-wide in SQLCipher and can only be switched on:
    // every buffer SQLCipher and SQLite free from now on is wiped.
    connection.execute_batch("PRAGMA cipher_memory_security = ON;")?;
    {
        let key_hex = data_key.expose_secret_hex();
        let mut statement = Zeroizing::new(String::with_capacity(96));
        statement.push_str("PRAGMA key = \"x'");
        statement.push_str(&key_hex);
        statement.push_str("'\";");
        connection.execute_batch(&statement)?;
    }
    connection.pragma_update(None, "cipher_page_size", settings.page_size)?;
    connection.pragma_update(None, "cipher_hmac_algorithm", &settings.hmac_algorithm)?;
    connection.pragma_update(None, "cipher_kdf_algorithm", &settings.kdf_algorithm)?;
    // The first read decrypts page 1: a wrong key or an altered page fails here.
    connection
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| {
            row.get::<_, i64>(0)
        })
        .map_err(|error| match CoreError::from(error) {
            CoreError::Storage(_) => CoreError::DatabaseTampered,
            other => other,
        })?;
    configure_connection(&connection)?;
    Ok(connection)
}

/// The connection settings every vault connection uses once it is keyed. Public
/// so the benchmarks can give a plain SQLite baseline the very same settings.
pub fn configure_connection(connection: &Connection) -> CoreResult<()> {
    // WAL keeps a SIGKILL from losing committed transactions; temporary tables
    // stay in (wiped) memory instead of unencrypted temp files.
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted content is overwritten with zeros, not left in free pages: an
    // erased client (SPEC §6) must not be readable from the file afterwards.
    connection.pragma_update(None, "secure_delete", "ON")?;
    // A page that falls out of SQLite's cache must be read and decrypted again;
    // the default 2 MiB cache holds a fifth of a 10,000-client vault, 32 MiB
    // holds the working set. SQLCipher wipes the cache when the vault closes.
    connection.pragma_update(None, "cache_size", -32 * 1024)?;
    Ok(())
}

/// Runs `work` inside a savepoint: its writes commit together or not at all.
/// Unlike a transaction it nests, so a repository write and the records that
/// must go with it (an audit event, an outbox entry) can share one commit, and
/// a bulk load can wrap many writes in one.
pub fn atomically<T>(
    connection: &Connection,
    work: impl FnOnce() -> CoreResult<T>,
) -> CoreResult<T> {
    connection.execute_batch("SAVEPOINT kluis_unit")?;
    let outcome = work().and_then(|value| {
        // The outermost RELEASE is the commit: it fails when a deferred
        // foreign key is violated (or the disk is full), and SQLite then keeps
        // the transaction open. It must be rolled back like a failed write,
        // or every later write would nest inside it and be lost with it.
        connection.execute_batch("RELEASE kluis_unit")?;
        Ok(value)
    });
    if outcome.is_err() {
        roll_back(connection);
    }
    outcome
}

/// Undoes the open `kluis_unit` savepoint. Should that fail too, the whole
/// transaction goes, so that the connection is never left inside one.
fn roll_back(connection: &Connection) {
    if let Err(rollback) = connection.execute_batch("ROLLBACK TO kluis_unit; RELEASE kluis_unit") {
        tracing::error!(%rollback, "rolling back a failed write failed");
        if !connection.is_autocommit()
            && let Err(error) = connection.execute_batch("ROLLBACK")
        {
            tracing::error!(%error, "abandoning the transaction failed");
        }
    }
}

/// Checks the HMAC of every page, so an altered page is reported at unlock and
/// not only when (or if) that page is read. Measured: under 1 ms per MiB.
pub fn verify_integrity(connection: &Connection) -> CoreResult<()> {
    let mut statement = connection.prepare("PRAGMA cipher_integrity_check")?;
    let mut problems = statement.query([])?;
    if problems.next()?.is_some() {
        tracing::warn!("cipher_integrity_check reported altered pages");
        return Err(CoreError::DatabaseTampered);
    }
    Ok(())
}

/// Brings the schema to the latest version; migrations are append-only.
pub fn migrate(connection: &mut Connection) -> CoreResult<()> {
    let migrations = VAULT_MIGRATIONS
        .as_ref()
        .map_err(|error| CoreError::Internal(error.clone()))?;
    migrations
        .to_latest(connection)
        .map_err(|error| match error {
            rusqlite_migration::Error::RusqliteError { err, .. } => CoreError::from(err),
            other => CoreError::Storage(format!("migration failed: {other}")),
        })
}

/// The number of migrations this binary knows.
pub fn latest_schema_version() -> usize {
    VAULT_MIGRATIONS_DIR.dirs().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A commit refused by a deferred foreign key used to leave the
    /// transaction open, so the next write nested inside it and vanished with
    /// it at the next rollback.
    #[test]
    fn a_refused_commit_leaves_no_transaction_open() {
        let connection = Connection::open_in_memory().expect("open");
        connection
            .execute_batch(
                "PRAGMA foreign_keys = ON; \
                 CREATE TABLE parent (id TEXT PRIMARY KEY); \
                 CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parent(id));",
            )
            .expect("schema");
        let refused = atomically(&connection, || {
            connection.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            connection.execute("INSERT INTO child VALUES ('c1', 'nobody')", [])?;
            Ok(())
        });
        assert!(matches!(refused, Err(CoreError::Storage(_))), "{refused:?}");
        assert!(connection.is_autocommit(), "no transaction is left open");
        atomically(&connection, || {
            connection.execute("INSERT INTO parent VALUES ('p1')", [])?;
            Ok(())
        })
        .expect("a later write");
        let parents: i64 = connection
            .query_row("SELECT count(*) FROM parent", [], |row| row.get(0))
            .expect("count");
        assert_eq!(parents, 1, "the later write is committed, not nested");
        let children: i64 = connection
            .query_row("SELECT count(*) FROM child", [], |row| row.get(0))
            .expect("count");
        assert_eq!(children, 0);
    }

    #[test]
    fn migrations_are_valid() {
        let migrations = VAULT_MIGRATIONS.as_ref().expect("migrations load");
        migrations
            .validate()
            .expect("migrations apply to an empty database");
    }
}
