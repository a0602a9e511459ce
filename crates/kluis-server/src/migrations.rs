//! The store's schema migrations: the folders of `migrations/server/<back
//! end>`, each numbered by its name (`0003-certificate-serial`), each applied
//! once, and each remembered with the SHA-256 of its `up.sql`. A migration
//! that was changed after it was applied, or a database migrated by a newer
//! Kluis, stops the store at start with an error naming the migration: the
//! folders are append-only (SPEC §2).

use include_dir::Dir;
use sha2::{Digest, Sha256};

use crate::error::{ServerError, ServerResult};

/// One migration of this build.
#[derive(Debug, Clone)]
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    /// SHA-256 of `sql`, lower-case hex.
    pub checksum: String,
}

/// The migrations in `directory`, in order; their numbers must run 1, 2, 3…
pub(crate) fn load(directory: &'static Dir<'static>) -> ServerResult<Vec<Migration>> {
    let mut folders: Vec<&'static Dir<'static>> = directory.dirs().collect();
    folders.sort_by_key(|folder| folder.path());
    let mut migrations = Vec::with_capacity(folders.len());
    for (index, folder) in folders.into_iter().enumerate() {
        let name = folder
            .path()
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| storage("a migration folder has no name"))?;
        let version = name
            .split('-')
            .next()
            .and_then(|number| number.parse::<i64>().ok())
            .ok_or_else(|| storage(format!("migration {name} does not start with its number")))?;
        if usize::try_from(version).ok() != Some(index + 1) {
            return Err(storage(format!(
                "migration {name} is out of sequence: expected number {}",
                index + 1
            )));
        }
        let sql = folder
            .get_file(folder.path().join("up.sql"))
            .and_then(|file| file.contents_utf8())
            .ok_or_else(|| storage(format!("migration {name} has no up.sql")))?;
        migrations.push(Migration {
            version,
            name,
            sql,
            checksum: hex::encode(Sha256::digest(sql.as_bytes())),
        });
    }
    Ok(migrations)
}

/// The table that remembers applied migrations, on both back ends.
pub(crate) const LEDGER_TABLE: &str = "CREATE TABLE IF NOT EXISTS kluis_schema_migration (\
     version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, checksum TEXT)";
pub(crate) const APPLIED: &str =
    "SELECT version, checksum FROM kluis_schema_migration ORDER BY version";
/// ?1 version, ?2 time, ?3 checksum.
pub(crate) const RECORD_APPLIED: &str =
    "INSERT INTO kluis_schema_migration (version, applied_at, checksum) VALUES (?1, ?2, ?3)";
/// ?1 version, ?2 checksum.
pub(crate) const RECORD_CHECKSUM: &str =
    "UPDATE kluis_schema_migration SET checksum = ?2 WHERE version = ?1";

/// A back end's migration transaction, as [`run`] needs it.
pub(crate) trait Ledger {
    /// What the database says it applied: version, and checksum if it kept one.
    fn applied(&mut self) -> ServerResult<Vec<(i64, Option<String>)>>;
    fn execute_migration(&mut self, sql: &str) -> ServerResult<()>;
    fn record_applied(&mut self, migration: &Migration) -> ServerResult<()>;
    fn record_checksum(&mut self, migration: &Migration) -> ServerResult<()>;
}

/// Applies what this build has and the database lacks, inside the back end's
/// one transaction, after checking what it applied before ([`plan`]).
/// Returns the migrations applied now.
pub(crate) fn run<'a>(
    ledger: &mut dyn Ledger,
    migrations: &'a [Migration],
) -> ServerResult<Vec<&'a Migration>> {
    let applied = ledger.applied()?;
    let (to_apply, to_record) = plan(migrations, &applied)?;
    for migration in to_record {
        ledger.record_checksum(migration)?;
    }
    for migration in &to_apply {
        ledger.execute_migration(migration.sql)?;
        ledger.record_applied(migration)?;
    }
    Ok(to_apply)
}

/// Checks what the database says it applied (version, checksum if it kept
/// one) against this build's migrations. Returns the migrations still to
/// apply, in order, and the versions applied before checksums were kept,
/// whose checksum is to be recorded now.
fn plan<'a>(
    migrations: &'a [Migration],
    applied: &[(i64, Option<String>)],
) -> ServerResult<(Vec<&'a Migration>, Vec<&'a Migration>)> {
    let mut to_record = Vec::new();
    for (version, checksum) in applied {
        let migration = migrations
            .iter()
            .find(|migration| migration.version == *version)
            .ok_or_else(|| {
                storage(format!(
                    "the database was migrated by a newer Kluis (migration {version} is unknown to this one)"
                ))
            })?;
        match checksum {
            Some(checksum) if *checksum != migration.checksum => {
                return Err(storage(format!(
                    "migration {} was changed after it was applied to this database (its checksum differs); \
                     migrations are append-only: restore it and add a new one",
                    migration.name
                )));
            }
            Some(_) => {}
            None => to_record.push(migration),
        }
    }
    let newest = applied
        .iter()
        .map(|(version, _)| *version)
        .max()
        .unwrap_or(0);
    let to_apply = migrations
        .iter()
        .filter(|migration| migration.version > newest)
        .collect();
    Ok((to_apply, to_record))
}

fn storage(message: impl Into<String>) -> ServerError {
    ServerError::Storage(message.into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    static POSTGRES: Dir<'static> =
        include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../migrations/server/postgres");

    #[test]
    fn migrations_are_numbered_in_sequence_and_checksummed() {
        let migrations = load(&POSTGRES).unwrap();
        assert!(migrations.len() >= 6);
        for (index, migration) in migrations.iter().enumerate() {
            assert_eq!(migration.version, i64::try_from(index + 1).unwrap());
            assert_eq!(migration.checksum.len(), 64);
        }
    }

    #[test]
    fn a_plan_applies_what_is_new_and_refuses_what_changed_or_is_unknown() {
        let migrations = load(&POSTGRES).unwrap();
        let first = &migrations[0];
        let (to_apply, to_record) = plan(&migrations, &[]).unwrap();
        assert_eq!(to_apply.len(), migrations.len());
        assert!(to_record.is_empty());

        let (to_apply, to_record) =
            plan(&migrations, &[(1, Some(first.checksum.clone())), (2, None)]).unwrap();
        assert_eq!(to_apply.first().map(|migration| migration.version), Some(3));
        assert_eq!(to_record.len(), 1);
        assert_eq!(to_record[0].version, 2);

        let changed = plan(&migrations, &[(1, Some("0".repeat(64)))]).unwrap_err();
        assert!(
            changed
                .to_string()
                .contains("was changed after it was applied"),
            "{changed}"
        );
        assert!(changed.to_string().contains(first.name), "{changed}");
        let newer = plan(&migrations, &[(999, None)]).unwrap_err();
        assert!(newer.to_string().contains("newer Kluis"), "{newer}");
    }
}
