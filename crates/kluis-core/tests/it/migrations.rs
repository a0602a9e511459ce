//! The vault schema: a new vault is at the latest version, and opening a
//! migrated vault again changes nothing.

use kluis_core::record::practitioner::Role;
use kluis_core::vault::db::latest_schema_version;
use rusqlite::Connection;

use crate::support::{PASSPHRASE, Snapshot, TestProfile, passphrase};

fn user_version(connection: &Connection) -> i64 {
    connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("user_version")
}

/// Every schema object: type, name and the SQL that made it.
fn schema(connection: &Connection) -> Vec<(String, String, Option<String>)> {
    let mut statement = connection
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .expect("prepare");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn a_new_vault_is_at_the_latest_schema_version() {
    let profile = TestProfile::new();
    let open = profile
        .vault()
        .create(&passphrase(PASSPHRASE))
        .expect("create");
    profile.remember_vault_id();
    let connection = open.connection().expect("connection");

    let latest = latest_schema_version();
    assert!(latest >= 1);
    assert_eq!(
        user_version(connection),
        i64::try_from(latest).expect("fits")
    );
    let tables: Vec<String> = schema(connection)
        .into_iter()
        .filter(|(kind, _, _)| kind == "table")
        .map(|(_, name, _)| name)
        .collect();
    for table in ["client", "practitioner", "client_assignment"] {
        assert!(
            tables.iter().any(|name| name == table),
            "{table} missing from {tables:?}"
        );
    }
    let columns: Vec<String> = connection
        .prepare("SELECT name FROM pragma_table_info('client')")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for column in [
        "client_code",
        "health_data_consent_date",
        "employer_reporting_opt_in",
        "restricted",
    ] {
        assert!(
            columns.iter().any(|name| name == column),
            "{column} missing from {columns:?}"
        );
    }
    open.close().expect("close");
}

#[test]
fn reopening_a_migrated_vault_is_a_no_op() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    kluis
        .create_client(crate::support::sample_client("Sanne"))
        .expect("client");
    kluis.lock();
    drop(kluis);
    let vault = profile.vault();

    let first = vault.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    let version = user_version(first.connection().expect("connection"));
    let objects = schema(first.connection().expect("connection"));
    first.close().expect("close");
    let files = profile.files();
    let closed = Snapshot::take(&files);

    let second = vault.unlock(&passphrase(PASSPHRASE)).expect("unlock again");
    assert_eq!(
        user_version(second.connection().expect("connection")),
        version
    );
    assert_eq!(schema(second.connection().expect("connection")), objects);
    second.close().expect("close");
    closed.assert_unchanged(&files, "opening a migrated vault again");
    assert_eq!(
        version,
        i64::try_from(latest_schema_version()).expect("fits")
    );

    let kluis = profile.kluis();
    kluis
        .unlock(&passphrase(PASSPHRASE))
        .expect("unlock through the facade");
    assert_eq!(kluis.list_clients().expect("list").len(), 1);
}
