//! The vault's cost, measured in one process so the figures are ratios:
//!
//! - SQLCipher (the vault's settings, raw key, memory security on) against the
//!   same binary writing plain SQLite files, on the real client repository:
//!   10,000 client inserts, 500 single-row autosaves, a cold full read after
//!   reopening and a warm full read;
//! - the scrubbing allocator on against off, on the SQLCipher workload;
//! - unlock split into key derivation and database open, with the calibrated
//!   production KDF and the real keyring (run it under `scripts/with-keyring.sh`).
//!
//! Run: `scripts/with-keyring.sh cargo bench -p kluis-core --bench vault`
//! (`KLUIS_BENCH_ROUNDS` sets the rounds per variant, default 5;
//! `KLUIS_BENCH_CIPHER_PAGE_SIZE` and `KLUIS_BENCH_PLAIN_PAGE_SIZE` try other
//! page sizes than the vault's and SQLite's defaults).
#![allow(clippy::print_stdout, clippy::expect_used, clippy::unwrap_used)]

use kluis_testkit::bench::{Samples, milliseconds, ratio};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kluis_core::record::clients::{ClientInput, ClientRepository, Consents};
use kluis_core::record::practitioner::{Practitioner, Role};
use kluis_core::record::scope::Scope;
use kluis_core::vault::db;
use kluis_core::vault::header::SqlcipherSettings;
use kluis_core::vault::kdf::KdfPolicy;
use kluis_core::vault::keystore::KeyringDeviceSecretStore;
use kluis_core::vault::secret::{DataKey, Passphrase};
use kluis_core::vault::{Vault, VaultConfig, VaultFiles};
use kluis_memory::scrub::{ScrubbingAllocator, set_heap_scrubbing};
use rand::Rng;
use rand::seq::SliceRandom;
use rusqlite::Connection;

#[global_allocator]
static ALLOCATOR: ScrubbingAllocator = ScrubbingAllocator;

const CLIENTS: usize = 10_000;
const AUTOSAVES: usize = 500;
const DEVICE: &str = "bench-device";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Sqlcipher,
    Plain,
}

/// One database file of either format, reopened with the same key.
struct Store {
    format: Format,
    path: PathBuf,
    key: DataKey,
    settings: SqlcipherSettings,
}

impl Store {
    fn new(format: Format, directory: &Path) -> Self {
        let recommended = SqlcipherSettings::recommended(db::cipher_version().unwrap());
        Self {
            format,
            path: directory.join("bench.db"),
            key: DataKey::generate(),
            settings: SqlcipherSettings {
                page_size: page_size_override("KLUIS_BENCH_CIPHER_PAGE_SIZE")
                    .unwrap_or(recommended.page_size),
                ..recommended
            },
        }
    }

    fn open(&self, create: bool) -> Connection {
        match self.format {
            Format::Sqlcipher => {
                db::open_encrypted(&self.path, &self.key, &self.settings, create).unwrap()
            }
            Format::Plain => {
                let connection = Connection::open(&self.path).unwrap();
                if let Some(page_size) = page_size_override("KLUIS_BENCH_PLAIN_PAGE_SIZE") {
                    connection
                        .pragma_update(None, "page_size", page_size)
                        .unwrap();
                }
                db::configure_connection(&connection).unwrap();
                connection
            }
        }
    }

    fn file_size(&self) -> u64 {
        std::fs::metadata(&self.path).unwrap().len()
    }
}

/// Page sizes other than the defaults, to see what the page size alone costs.
fn page_size_override(variable: &str) -> Option<u32> {
    std::env::var(variable)
        .ok()
        .map(|value| value.parse().unwrap())
}

/// What one round of the workload measured.
#[derive(Debug, Clone, Copy)]
struct Round {
    insert: Duration,
    autosave: Duration,
    cold_read: Duration,
    warm_read: Duration,
    file_bytes: u64,
}

fn client_input(rng: &mut impl Rng, index: usize) -> ClientInput {
    const FIRST: &[&str] = &[
        "Anna", "Daan", "Fatima", "Joris", "Lotte", "Mehmet", "Sanne",
    ];
    const LAST: &[&str] = &[
        "Bakker",
        "de Jong",
        "El Amrani",
        "Jansen",
        "van Dijk",
        "Visser",
    ];
    let remarks_words = rng.gen_range(20..60);
    let remarks = (0..remarks_words)
        .map(|_| {
            [
                "slaap", "werkdruk", "beweging", "voeding", "stress", "herstel",
            ][rng.gen_range(0..6)]
        })
        .collect::<Vec<_>>()
        .join(" ");
    ClientInput {
        first_name: FIRST[index % FIRST.len()].to_owned(),
        last_name: Some(format!("{} {index}", LAST[index % LAST.len()])),
        email: format!("client{index}@voorbeeld.nl"),
        birth_year: rng.gen_range(1950..2005),
        phone: format!("06{:08}", rng.gen_range(0..100_000_000u32)),
        employer: index.is_multiple_of(3).then(|| "Voorbeeld BV".to_owned()),
        care_start: "2026-01-05".to_owned(),
        care_end: None,
        remarks,
        consents: Consents {
            health_data_consent_date: "2026-01-05".to_owned(),
            employer_reporting_opt_in: index.is_multiple_of(4),
            employer_reporting_date: index.is_multiple_of(4).then(|| "2026-01-05".to_owned()),
            health_data_consent_withdrawn: None,
        },
        restricted: false,
    }
}

/// Lists the clients and opens every one, as the app does, in one transaction:
/// each open writes an access-log entry, and one commit keeps those writes
/// from dominating a measure of reading.
fn read_everything(connection: &Connection, repository: &ClientRepository<'_>) -> usize {
    connection.execute_batch("BEGIN").unwrap();
    let summaries = repository.list().unwrap();
    let mut bytes = 0;
    for summary in &summaries {
        bytes += repository.get(&summary.id).unwrap().input.remarks.len();
    }
    connection.execute_batch("COMMIT").unwrap();
    assert_eq!(summaries.len(), CLIENTS);
    bytes
}

fn run_round(format: Format, practitioner: &Practitioner) -> Round {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::new(format, directory.path());
    let mut rng = rand::thread_rng();
    let inputs: Vec<ClientInput> = (0..CLIENTS).map(|i| client_input(&mut rng, i)).collect();

    let mut connection = store.open(true);
    db::migrate(&mut connection).unwrap();
    let repository = ClientRepository::new(Scope::new(&connection, practitioner, DEVICE));

    // The bulk load (an import, a first sync) is one transaction; single
    // commits are what the autosaves below measure.
    let started = Instant::now();
    let mut ids = Vec::with_capacity(CLIENTS);
    connection.execute_batch("BEGIN").unwrap();
    for input in inputs.iter().cloned() {
        ids.push(repository.create(input).unwrap().id);
    }
    connection.execute_batch("COMMIT").unwrap();
    let insert = started.elapsed();

    ids.shuffle(&mut rng);
    let started = Instant::now();
    for (round, id) in ids.iter().take(AUTOSAVES).enumerate() {
        let mut input = repository.get(id).unwrap().input;
        input.remarks.push_str(&format!(" aanvulling {round}"));
        repository.update(id, input).unwrap();
    }
    let autosave = started.elapsed();
    // A checkpoint moves the WAL into the main file, so both formats are read
    // back from the same shape of file.
    connection
        .pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    connection.close().unwrap();

    let connection = store.open(false);
    let repository = ClientRepository::new(Scope::new(&connection, practitioner, DEVICE));
    let started = Instant::now();
    let cold_bytes = read_everything(&connection, &repository);
    let cold_read = started.elapsed();
    let started = Instant::now();
    let warm_bytes = read_everything(&connection, &repository);
    let warm_read = started.elapsed();
    assert_eq!(cold_bytes, warm_bytes);
    connection.close().unwrap();

    Round {
        insert,
        autosave,
        cold_read,
        warm_read,
        file_bytes: store.file_size(),
    }
}

/// The medians of each measure over the rounds.
fn summarize(rounds: &[Round]) -> Round {
    let pick = |measure: fn(&Round) -> Duration| {
        Samples::new(rounds.iter().map(measure).collect()).median()
    };
    Round {
        insert: pick(|r| r.insert),
        autosave: pick(|r| r.autosave),
        cold_read: pick(|r| r.cold_read),
        warm_read: pick(|r| r.warm_read),
        file_bytes: rounds[0].file_bytes,
    }
}

fn print_comparison(title: &str, labels: (&str, &str), measured: (Round, Round)) {
    let (left, right) = measured;
    println!("\n{title}\n");
    println!("| workload | {} | {} | ratio |", labels.0, labels.1);
    println!("|---|---|---|---|");
    type Measure = fn(&Round) -> Duration;
    let rows: [(&str, Measure); 4] = [
        ("insert 10,000 clients (one transaction)", |r| r.insert),
        ("500 single-row autosaves (a commit each)", |r| r.autosave),
        ("cold full read after reopen (list + every client)", |r| {
            r.cold_read
        }),
        ("warm full read (same connection)", |r| r.warm_read),
    ];
    for (name, measure) in rows {
        println!(
            "| {name} | {} | {} | {} |",
            milliseconds(measure(&left), 1),
            milliseconds(measure(&right), 1),
            ratio(measure(&left), measure(&right))
        );
    }
    println!(
        "| file size | {:.1} MiB | {:.1} MiB | {:.2}× |",
        left.file_bytes as f64 / 1_048_576.0,
        right.file_bytes as f64 / 1_048_576.0,
        left.file_bytes as f64 / right.file_bytes as f64
    );
}

fn bench_unlock(rounds: usize) {
    let directory = tempfile::tempdir().unwrap();
    let store = Arc::new(KeyringDeviceSecretStore::new("nl.kluis.bench"));
    let vault = Vault::new(
        VaultFiles::new(directory.path().join("vault")),
        VaultConfig {
            kdf: KdfPolicy::default(),
            ..VaultConfig::default()
        },
        store,
    );
    let passphrase = Passphrase::from("paarse olifanten dansen traag 4821");
    let practitioner = Practitioner::new("Bench", Role::Psychologist).unwrap();
    let open = vault.create(&passphrase).unwrap();
    let argon2 = open.header().argon2;
    {
        let repository = ClientRepository::new(Scope::new(
            open.connection().unwrap(),
            &practitioner,
            DEVICE,
        ));
        let mut rng = rand::thread_rng();
        for index in 0..CLIENTS {
            repository.create(client_input(&mut rng, index)).unwrap();
        }
    }
    open.close().unwrap();
    let size = std::fs::metadata(vault.files().database()).unwrap().len();

    let mut derivations = Vec::new();
    let mut opens = Vec::new();
    let mut checks = Vec::new();
    for _ in 0..rounds {
        let (open, timings) = vault.unlock_timed(&passphrase).unwrap();
        derivations.push(timings.key_derivation);
        opens.push(timings.database_open);
        let started = Instant::now();
        open.verify_integrity().unwrap();
        checks.push(started.elapsed());
        open.close().unwrap();
    }
    vault.destroy().unwrap();
    println!(
        "\nUnlock of a vault with {CLIENTS} clients ({:.1} MiB), {rounds} rounds, medians; \
         Argon2id {argon2:?}\n",
        size as f64 / 1_048_576.0
    );
    println!("| step | median | min | max |");
    println!("|---|---|---|---|");
    for (name, values) in [
        ("key derivation (Argon2id + HKDF + unwrap)", derivations),
        ("database open (key, migrations)", opens),
        (
            "whole-file integrity check (the app runs it in a child process)",
            checks,
        ),
    ] {
        let (min, max) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
        println!(
            "| {name} | {} | {} | {} |",
            milliseconds(Samples::new(values).median(), 1),
            milliseconds(min, 1),
            milliseconds(max, 1)
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters nothing here.
    let rounds: usize = std::env::var("KLUIS_BENCH_ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(5);
    let practitioner = Practitioner::new("Bench", Role::Psychologist).unwrap();
    let settings = Store::new(Format::Sqlcipher, Path::new(".")).settings;
    println!(
        "SQLCipher {}, cipher pages {} B, {}; {rounds} rounds per variant, alternating; medians.",
        settings.cipher_version, settings.page_size, settings.hmac_algorithm
    );

    let (mut sqlcipher, mut plain) = (Vec::new(), Vec::new());
    let (mut scrubbed, mut unscrubbed) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        set_heap_scrubbing(true);
        sqlcipher.push(run_round(Format::Sqlcipher, &practitioner));
        plain.push(run_round(Format::Plain, &practitioner));
        scrubbed.push(run_round(Format::Sqlcipher, &practitioner));
        set_heap_scrubbing(false);
        unscrubbed.push(run_round(Format::Sqlcipher, &practitioner));
    }
    set_heap_scrubbing(true);
    print_comparison(
        "SQLCipher (vault settings, memory security on) vs plain SQLite, same binary",
        ("SQLCipher", "plain SQLite"),
        (summarize(&sqlcipher), summarize(&plain)),
    );
    let scrubbed = [sqlcipher, scrubbed].concat();
    print_comparison(
        "Scrubbing allocator on vs off (SQLCipher workload)",
        ("scrubbing on", "scrubbing off"),
        (summarize(&scrubbed), summarize(&unscrubbed)),
    );
    bench_unlock(rounds);
}
