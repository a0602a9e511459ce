//! Sync over mutual TLS on loopback, against a real store in this process:
//!
//! - first sync of a new device that receives 10,000 notes;
//! - an idle incremental sync (nothing new), median and p95 of 50;
//! - 200 simulated devices pushing and pulling at once for a while, against
//!   SQLite and, when `KLUIS_TEST_POSTGRES` is set, PostgreSQL: throughput,
//!   p50/p99 latency, errors.
//!
//! Run: `scripts/with-keyring.sh scripts/with-postgres.sh cargo bench -p kluis-sync --bench sync`
//! (`KLUIS_BENCH_NOTES`, `KLUIS_BENCH_DEVICES`, `KLUIS_BENCH_SECONDS` change the sizes).
#![allow(clippy::print_stdout, clippy::expect_used, clippy::unwrap_used)]

use kluis_testkit::bench::{Samples, milliseconds};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kluis_core::Profile;
use kluis_core::record::clients::ClientInput;
use kluis_core::record::notes::{NewNote, NoteSection, NoteTemplate, Visibility};
use kluis_core::record::practitioner::Role as CoreRole;
use kluis_core::vault::VaultConfig;
use kluis_core::vault::kdf::KdfPolicy;
use kluis_core::vault::keystore::KeyringDeviceSecretStore;
use kluis_core::vault::secret::Passphrase;
use kluis_memory::scrub::ScrubbingAllocator;
use kluis_protocol::records::ClientRecord;
use kluis_protocol::{Action, Operation, Record};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::Role;
use kluis_sync::{SyncClient, SyncConfig, sync_once};
use kluis_testkit::{Backend, TestStore};
use zeroize::Zeroizing;

#[global_allocator]
static ALLOCATOR: ScrubbingAllocator = ScrubbingAllocator;

const PASSPHRASE: &str = "paarse olifanten dansen traag 4821";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The sync client of a new device of `practitioner_id`, enrolled with the
/// store.
fn device<S: Backend>(store: &TestStore<S>, device_id: &str, practitioner_id: &str) -> SyncClient {
    let identity = store.enroll_for(device_id, practitioner_id);
    SyncClient::new(SyncConfig::new(
        store.base_url(),
        store.ca.certificate_pem(),
        identity.certificate_pem,
        Zeroizing::new(identity.key_pem),
    ))
    .unwrap()
}

fn vault(directory: &std::path::Path, name: &str, role: CoreRole) -> Arc<Profile> {
    let kluis = Arc::new(Profile::open_profile(
        directory,
        VaultConfig {
            kdf: KdfPolicy::owasp_floor(),
            ..Default::default()
        },
        Arc::new(KeyringDeviceSecretStore::new("nl.kluis.bench-sync")),
    ));
    kluis
        .create_vault(&Passphrase::from(PASSPHRASE), name, role)
        .unwrap();
    kluis
}

fn client_input() -> ClientInput {
    kluis_testkit::fixtures::sample_client("Noor")
}

async fn first_sync_and_idle(notes: u64) {
    let store_directory = tempfile::tempdir().unwrap();
    let harness = TestStore::serving(
        SqliteStore::open(&store_directory.path().join("store.db")).unwrap(),
        "nl",
    )
    .await;
    let writer_directory = tempfile::tempdir().unwrap();
    let writer = vault(writer_directory.path(), "Anna", CoreRole::Psychologist);
    let writer_id = writer.practitioner_id().unwrap();
    harness.add_practitioner(&writer_id, &writer_id, Role::Psychologist);
    let writer_client = device(&harness, "anna-laptop", &writer_id);

    let started = Instant::now();
    let client = writer.create_client(client_input()).unwrap();
    let text = "Slaapt onrustig, piekert over werk; ademhalingsoefening besproken. ".repeat(22);
    for _ in 0..notes {
        let note = writer
            .create_note(NewNote {
                client_id: client.id.clone(),
                consult_id: None,
                template: NoteTemplate::Free,
                visibility: Visibility::CareTeam,
            })
            .unwrap();
        writer
            .save_draft(
                &note.id,
                vec![NoteSection {
                    key: "text".to_owned(),
                    text: text.clone(),
                }],
            )
            .unwrap();
        writer.sign_note(&note.id).unwrap();
    }
    let written = started.elapsed();
    let started = Instant::now();
    let pushed = sync_once(&writer_client, &writer).await.unwrap();
    let push_time = started.elapsed();

    let reader_directory = tempfile::tempdir().unwrap();
    let reader = vault(reader_directory.path(), "Bram", CoreRole::Psychologist);
    let reader_id = reader.practitioner_id().unwrap();
    harness.add_practitioner(&reader_id, &reader_id, Role::Psychologist);
    harness.assign(&client.id, &reader_id);
    let reader_client = device(&harness, "bram-laptop", &reader_id);
    let started = Instant::now();
    let pulled = sync_once(&reader_client, &reader).await.unwrap();
    let first_sync = started.elapsed();

    let mut idle = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        let report = sync_once(&reader_client, &reader).await.unwrap();
        idle.push(started.elapsed());
        assert_eq!(report.pulled, 0);
    }
    let idle = Samples::new(idle);
    println!(
        "\n{notes} notes of {} bytes written on one device in {:.1} s.\n",
        text.len(),
        written.as_secs_f64()
    );
    println!("| measure | measured | goal |");
    println!("|---|---|---|");
    println!(
        "| push of {} changes from the writing device | {} | |",
        pushed.pushed,
        milliseconds(push_time, 1)
    );
    println!(
        "| first sync of a new device: {} records pulled and applied (waiting for the store {}, applying {}) | {} | < 10 s |",
        pulled.pulled,
        milliseconds(pulled.pull_waiting, 1),
        milliseconds(pulled.pull_applying, 1),
        milliseconds(first_sync, 1)
    );
    println!(
        "| idle incremental sync (check, empty push, empty pull), 50 rounds | median {}, p95 {} | < 20 ms |",
        milliseconds(idle.median(), 1),
        milliseconds(idle.percentile(0.95), 1)
    );
    for kluis in [writer, reader] {
        kluis.lock();
        kluis.vault().destroy().unwrap();
    }
}

/// Many devices, each its own practitioner with its own client, pushing a
/// client change and pulling, as fast as they can, for `seconds`.
async fn crowd<S: Backend>(name: &str, store: S, devices: u64, seconds: u64) {
    let harness = Arc::new(TestStore::serving(store, "nl").await);
    let mut clients = Vec::new();
    for index in 0..devices {
        let practitioner = format!("p{index}");
        harness.add_practitioner(&practitioner, &practitioner, Role::Psychologist);
        clients.push(device(&harness, &format!("d{index}"), &practitioner));
    }
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (index, client) in clients.into_iter().enumerate() {
        let errors = Arc::clone(&errors);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut version = None;
            let mut cursor = 0;
            let mut round = 0u64;
            while Instant::now() < deadline {
                round += 1;
                let record = Record::Client(ClientRecord {
                    id: format!("client-{index}"),
                    client_code: format!("C-{index:05}"),
                    first_name: format!("Cliënt {index}"),
                    last_name: None,
                    email: "client@example.nl".to_owned(),
                    birth_year: 1990,
                    phone: "06 1234 5678".to_owned(),
                    employer: None,
                    care_start: "2026-01-05".to_owned(),
                    care_end: None,
                    remarks: format!("ronde {round}"),
                    health_data_consent_date: "2026-01-05".to_owned(),
                    employer_reporting_opt_in: false,
                    employer_reporting_date: None,
                    restricted: false,
                    health_data_consent_withdrawn: None,
                    privacy_log: Vec::new(),
                });
                let started = Instant::now();
                let pushed = client
                    .push(vec![Operation {
                        op_id: uuid::Uuid::new_v4(),
                        action: Action::Upsert {
                            record: Box::new(record),
                            base_version: version,
                        },
                    }])
                    .await;
                match pushed.map(|response| response.results[0].outcome.clone()) {
                    Ok(kluis_protocol::Outcome::Applied { version: applied }) => {
                        version = Some(applied)
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies.push(started.elapsed());
                let started = Instant::now();
                match client.pull(cursor, 100).await {
                    Ok(page) => cursor = page.cursor,
                    Err(_) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies.push(started.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let requests = latencies.len();
    let latencies = Samples::new(latencies);
    println!(
        "| {name}: {devices} devices, {seconds} s | {} requests, {:.0}/s | p50 {} | p99 {} | errors {} |",
        requests,
        requests as f64 / seconds as f64,
        milliseconds(latencies.percentile(0.5), 1),
        milliseconds(latencies.percentile(0.99), 1),
        errors.load(Ordering::Relaxed)
    );
}

fn main() {
    let notes = env_number("KLUIS_BENCH_NOTES", 10_000);
    let devices = env_number("KLUIS_BENCH_DEVICES", 200);
    let seconds = env_number("KLUIS_BENCH_SECONDS", 60);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(first_sync_and_idle(notes));

    println!("\nConcurrent devices (each request is one push of one change or one pull):\n");
    println!("| store | requests | p50 | p99 | errors |");
    println!("|---|---|---|---|---|");
    let crowd_directory = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&crowd_directory.path().join("crowd.db")).unwrap();
    runtime.block_on(crowd("SQLite", sqlite, devices, seconds));
    match std::env::var("KLUIS_TEST_POSTGRES") {
        Ok(server) => {
            let database = format!("kluis_bench_{}", uuid::Uuid::new_v4().simple());
            let mut admin =
                postgres::Client::connect(&format!("{server} dbname=postgres"), postgres::NoTls)
                    .unwrap();
            admin
                .batch_execute(&format!("CREATE DATABASE {database}"))
                .unwrap();
            let store = PostgresStore::open(&format!("{server} dbname={database}"), 32).unwrap();
            runtime.block_on(crowd("PostgreSQL", store, devices, seconds));
        }
        Err(_) => println!("| PostgreSQL | not run: KLUIS_TEST_POSTGRES is not set | | | |"),
    }
}
