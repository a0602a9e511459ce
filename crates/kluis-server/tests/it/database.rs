//! The store's connection to PostgreSQL over TLS, against the test cluster's
//! TLS port (scripts/with-postgres.sh): verified against the CA given, and
//! refused with a clear error otherwise.

use kluis_server::ServerError;
use kluis_server::pki::CertificateAuthority;
use kluis_server::postgres::PostgresStore;
use kluis_server::store::{Practitioner, Role, Store};

use crate::support::off_runtime;

fn cluster(variable: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| {
        panic!("{variable} is not set: run the tests through scripts/with-postgres.sh")
    })
}

fn new_database() -> String {
    let name = format!("kluis_tls_{}", uuid::Uuid::new_v4().simple());
    postgres::Client::connect(
        &format!("{} dbname=postgres", cluster("KLUIS_TEST_POSTGRES")),
        postgres::NoTls,
    )
    .expect("connect over the socket")
    .batch_execute(&format!("CREATE DATABASE {name}"))
    .expect("create database");
    name
}

/// How many of the database's connections are encrypted, and how many not.
fn connections_by_tls(database: &str) -> (i64, i64) {
    let mut admin = postgres::Client::connect(
        &format!("{} dbname=postgres", cluster("KLUIS_TEST_POSTGRES")),
        postgres::NoTls,
    )
    .expect("connect over the socket");
    let row = admin
        .query_one(
            "SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl) \
             FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = $1",
            &[&database],
        )
        .expect("pg_stat_ssl");
    (row.get(0), row.get(1))
}

#[test]
fn the_store_reaches_its_database_over_verified_tls() {
    off_runtime(|| {
        let database = new_database();
        let store = PostgresStore::open(
            &format!("{} dbname={database}", cluster("KLUIS_TEST_POSTGRES_TLS")),
            4,
        )
        .expect("the store opens over TLS");
        let anna = Practitioner {
            id: "anna".to_owned(),
            display_name: "Anna de Vries".to_owned(),
            role: Role::Psychologist,
        };
        store.add_practitioner(&anna).expect("write");
        assert_eq!(store.practitioner("anna").expect("read"), Some(anna));
        let (encrypted, clear) = connections_by_tls(&database);
        assert!(encrypted >= 1, "{encrypted} encrypted connections");
        assert_eq!(clear, 0, "no connection in clear text");
    });
}

#[test]
fn a_database_certificate_from_another_ca_or_a_tls_setting_without_one_is_refused() {
    off_runtime(|| {
        let database = new_database();
        let directory = tempfile::tempdir().expect("tempdir");
        let other_ca = directory.path().join("other-ca.pem");
        std::fs::write(
            &other_ca,
            CertificateAuthority::create("Nep-CA")
                .expect("ca")
                .certificate_pem(),
        )
        .expect("write");
        let tls = cluster("KLUIS_TEST_POSTGRES_TLS");
        let elsewhere = tls.replace(
            tls.split_whitespace()
                .find(|pair| pair.starts_with("sslrootcert="))
                .expect("sslrootcert"),
            &format!("sslrootcert={}", other_ca.display()),
        );
        let refused = PostgresStore::open(&format!("{elsewhere} dbname={database}"), 2)
            .expect_err("another CA's certificate is refused");
        assert!(
            matches!(&refused, ServerError::Certificate(reason) if reason.starts_with("the database's TLS:")),
            "{refused}"
        );

        let without_ca: String = tls
            .split_whitespace()
            .filter(|pair| !pair.starts_with("sslrootcert="))
            .collect::<Vec<_>>()
            .join(" ");
        let refused = PostgresStore::open(&format!("{without_ca} dbname={database}"), 2)
            .expect_err("TLS without a CA to check against");
        assert!(refused.to_string().contains("sslrootcert"), "{refused}");

        let prefer = tls.replace("sslmode=verify-full", "sslmode=prefer");
        let refused = PostgresStore::open(&format!("{prefer} dbname={database}"), 2)
            .expect_err("prefer may fall back to clear text");
        assert!(refused.to_string().contains("sslmode must be"), "{refused}");
    });
}

/// Every applied migration is remembered with its checksum; a database from
/// before checksums gets them at the next start; a migration edited after it
/// was applied stops the store with an error naming it.
#[test]
fn a_migration_changed_after_it_was_applied_stops_the_store() {
    off_runtime(|| {
        let database = new_database();
        let url = format!("{} dbname={database}", cluster("KLUIS_TEST_POSTGRES"));
        drop(PostgresStore::open(&url, 2).expect("the first start migrates"));
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        let checksummed = |client: &mut postgres::Client| -> i64 {
            client
                .query_one(
                    "SELECT count(*) FROM kluis_schema_migration WHERE length(checksum) = 64",
                    &[],
                )
                .expect("count")
                .get(0)
        };
        let migrations = checksummed(&mut client);
        assert!(migrations >= 6, "{migrations}");

        client
            .execute(
                "UPDATE kluis_schema_migration SET checksum = NULL WHERE version = 2",
                &[],
            )
            .expect("forget a checksum");
        drop(PostgresStore::open(&url, 2).expect("a store from before checksums starts"));
        assert_eq!(checksummed(&mut client), migrations);

        client
            .execute(
                "UPDATE kluis_schema_migration SET checksum = repeat('0', 64) WHERE version = 3",
                &[],
            )
            .expect("pretend migration 3 changed");
        let error = PostgresStore::open(&url, 2).expect_err("the store must not start");
        assert!(
            matches!(&error, ServerError::Storage(message)
                if message.contains("0003-certificate-serial")
                    && message.contains("changed after it was applied")),
            "{error:?}"
        );
    });
}
