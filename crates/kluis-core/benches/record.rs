//! The clinical record at full size: a generated vault of 300 clients and
//! 100,000 notes of about 1.5 KB, built through the real repositories (so the
//! search index and the access log are as the app makes them), then measured:
//! search (median, p95), a client timeline of 200 items, a note autosave,
//! vault open after the key derivation, file size and resident memory.
//!
//! Run: `scripts/with-keyring.sh cargo bench -p kluis-core --bench record`
//! (`KLUIS_BENCH_NOTES` and `KLUIS_BENCH_CLIENTS` change the size).
#![allow(clippy::print_stdout, clippy::expect_used, clippy::unwrap_used)]

use kluis_testkit::bench::{Samples, milliseconds};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kluis_core::record::clients::{ClientInput, ClientRepository, Consents};
use kluis_core::record::notes::{NewNote, NoteRepository, NoteSection, NoteTemplate, Visibility};
use kluis_core::record::practitioner::{Practitioner, Role};
use kluis_core::record::scope::Scope;
use kluis_core::record::search;
use kluis_core::record::timeline;
use kluis_core::vault::kdf::KdfPolicy;
use kluis_core::vault::keystore::KeyringDeviceSecretStore;
use kluis_core::vault::secret::Passphrase;
use kluis_core::vault::{Vault, VaultConfig, VaultFiles};
use kluis_memory::scrub::ScrubbingAllocator;
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;

#[global_allocator]
static ALLOCATOR: ScrubbingAllocator = ScrubbingAllocator;

const DEVICE: &str = "bench-device";
/// The passphrase of the generated vault, also typed by `make bench-app-memory`.
const PASSPHRASE: &str = "paarse olifanten dansen traag 4821";

/// Words of session notes, most common first.
const WORDS: &[&str] = &[
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "is",
    "dat",
    "op",
    "te",
    "met",
    "voor",
    "niet",
    "zijn",
    "cliënt",
    "geeft",
    "aan",
    "ze",
    "hij",
    "week",
    "slaap",
    "werk",
    "gesprek",
    "afspraak",
    "stress",
    "energie",
    "moe",
    "beter",
    "slechter",
    "thuis",
    "partner",
    "kinderen",
    "collega",
    "leidinggevende",
    "piekeren",
    "angst",
    "somber",
    "stemming",
    "doelen",
    "oefening",
    "huiswerk",
    "ademhaling",
    "ontspanning",
    "wandelen",
    "beweging",
    "voeding",
    "alcohol",
    "koffie",
    "nacht",
    "ochtend",
    "avond",
    "weekend",
    "vakantie",
    "ziekteverzuim",
    "re-integratie",
    "bedrijfsarts",
    "grenzen",
    "assertiviteit",
    "gedachten",
    "gevoelens",
    "gedrag",
    "patronen",
    "schema",
    "cognitief",
    "herstructureren",
    "exposure",
    "terugval",
    "preventie",
    "plan",
    "evaluatie",
    "voortgang",
    "motivatie",
    "weerstand",
    "rouw",
    "verlies",
    "conflict",
    "relatie",
    "eenzaamheid",
    "zelfbeeld",
    "perfectionisme",
    "uitstelgedrag",
    "concentratie",
    "geheugen",
    "hoofdpijn",
    "spanning",
    "paniek",
    "hartkloppingen",
    "vermijding",
    "veiligheid",
    "steun",
    "netwerk",
    "familie",
    "vriendin",
    "sport",
    "fietsen",
    "zwemmen",
    "yoga",
    "mindfulness",
    "dagboek",
    "registratie",
    "slaaphygiëne",
    "beeldscherm",
    "ritme",
    "structuur",
    "planning",
    "prioriteiten",
    "werkdruk",
    "overuren",
    "thuiswerken",
    "reistijd",
    "financiën",
    "schulden",
    "verhuizing",
    "zwangerschap",
    "mantelzorg",
    "ouders",
    "scheiding",
    "rechtszaak",
    "diagnose",
    "medicatie",
    "huisarts",
    "verwijzing",
    "intake",
    "afronding",
    "nazorg",
    "vervolg",
    "telefonisch",
    "video",
    "groepssessie",
    "check-in",
    "één",
    "twee",
    "drie",
    "vaak",
    "soms",
    "nooit",
    "altijd",
    "duidelijk",
    "onduidelijk",
    "prettig",
    "lastig",
    "zwaar",
    "licht",
    "rustig",
    "onrustig",
    "boos",
    "verdrietig",
    "blij",
    "trots",
    "schuldig",
    "schaamte",
    "opluchting",
    "hoop",
];

/// The vocabulary of the generated notes: the words above and Dutch-style
/// compounds of two of them ("slaap" + "ritme"), about 30,000 in all, drawn
/// with Zipf's law (the k-th most common word has weight 1/k), so that, as in
/// real notes, a few words are everywhere and most are rare.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new() -> Self {
        let mut words: Vec<String> = WORDS.iter().map(|word| (*word).to_owned()).collect();
        for first in WORDS.iter().skip(14) {
            for second in WORDS.iter().skip(14) {
                if first != second {
                    words.push(format!("{first}{second}"));
                }
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self { words, cumulative }
    }

    fn word(&self, rng: &mut StdRng) -> &str {
        let target = rng.r#gen::<f64>() * self.cumulative[self.cumulative.len() - 1];
        let index = self.cumulative.partition_point(|&sum| sum < target);
        &self.words[index.min(self.words.len() - 1)]
    }

    /// A word a practitioner might search for: not one of the hundred most
    /// common, picked evenly on a log scale of rank up to 10,000.
    fn query_word(&self, rng: &mut StdRng) -> &str {
        let rank = (100.0 * 100f64.powf(rng.r#gen::<f64>())) as usize;
        &self.words[rank.min(self.words.len() - 1)]
    }

    fn text(&self, rng: &mut StdRng, bytes: usize) -> String {
        let mut text = String::with_capacity(bytes + 32);
        while text.len() < bytes {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(self.word(rng));
        }
        text
    }
}

fn client(index: usize) -> ClientInput {
    ClientInput {
        first_name: format!("Client{index}"),
        last_name: Some(format!("Achternaam{index}")),
        email: format!("client{index}@voorbeeld.nl"),
        birth_year: 1960 + (index % 40) as u16,
        phone: format!("06{:08}", index),
        employer: None,
        care_start: "2025-01-06".to_owned(),
        care_end: None,
        remarks: format!("Aangemeld in week {}.", index % 52 + 1),
        consents: Consents {
            health_data_consent_date: "2025-01-06".to_owned(),
            employer_reporting_opt_in: false,
            employer_reporting_date: None,
            health_data_consent_withdrawn: None,
        },
        restricted: false,
    }
}

fn sections(
    vocabulary: &Vocabulary,
    template: NoteTemplate,
    rng: &mut StdRng,
    total_bytes: usize,
) -> Vec<NoteSection> {
    let keys = template.section_keys();
    keys.iter()
        .map(|key| NoteSection {
            key: (*key).to_owned(),
            text: if kluis_protocol::records::is_who5_item(key) {
                "3".to_owned()
            } else {
                vocabulary.text(rng, total_bytes / keys.len())
            },
        })
        .collect()
}

fn summary(samples: Vec<Duration>) -> (String, String, String) {
    let samples = Samples::new(samples);
    (
        milliseconds(samples.median(), 2),
        milliseconds(samples.percentile(0.95), 2),
        milliseconds(samples.max(), 2),
    )
}

fn resident_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .unwrap();
    kib / 1024.0
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// Builds the vault: clients, then notes in batches of one transaction each.
fn build_vault(
    vault: &Vault,
    passphrase: &Passphrase,
    client_count: usize,
    note_count: usize,
    vocabulary: &Vocabulary,
    rng: &mut StdRng,
) -> (Practitioner, Vec<String>) {
    let practitioner = Practitioner::new("Anna de Vries", Role::Psychologist).unwrap();
    let open = vault.create(passphrase).unwrap();
    let connection = open.connection().unwrap();
    practitioner.save(connection).unwrap();
    let scope = Scope::new(connection, &practitioner, DEVICE);
    let clients = ClientRepository::new(scope);
    connection.execute_batch("BEGIN").unwrap();
    let client_ids: Vec<String> = (0..client_count)
        .map(|index| clients.create(client(index)).unwrap().id)
        .collect();
    connection.execute_batch("COMMIT").unwrap();
    let notes = NoteRepository::new(scope);
    let templates = [
        NoteTemplate::Soap,
        NoteTemplate::Dap,
        NoteTemplate::Free,
        NoteTemplate::LifestyleCheckIn,
    ];
    for batch in (0..note_count).collect::<Vec<_>>().chunks(5_000) {
        connection.execute_batch("BEGIN").unwrap();
        for &index in batch {
            let template = templates[index % templates.len()];
            let visibility = if index % 10 == 0 {
                Visibility::Private
            } else {
                Visibility::CareTeam
            };
            let note = notes
                .create(NewNote {
                    client_id: client_ids[index % client_ids.len()].clone(),
                    consult_id: None,
                    template,
                    visibility,
                })
                .unwrap();
            notes
                .save_draft(&note.id, sections(vocabulary, template, rng, 1_500))
                .unwrap();
            // One note in fifty stays a draft, as notes being written do.
            if index % 50 != 0 {
                notes.sign(&note.id).unwrap();
            }
        }
        connection.execute_batch("COMMIT").unwrap();
    }
    open.close().unwrap();
    (practitioner, client_ids)
}

fn main() {
    let client_count = env_count("KLUIS_BENCH_CLIENTS", 300);
    let note_count = env_count("KLUIS_BENCH_NOTES", 100_000);
    let mut rng = StdRng::seed_from_u64(7513);
    let vocabulary = Vocabulary::new();
    // With KLUIS_BENCH_PROFILE the vault is built (once) in that profile
    // directory under the app's keyring service, and kept, so the app itself
    // can open it (`make bench-app-memory`) and later runs skip the build.
    let kept_profile = std::env::var_os("KLUIS_BENCH_PROFILE").map(PathBuf::from);
    let temporary = tempfile::tempdir().unwrap();
    let profile = kept_profile
        .clone()
        .unwrap_or_else(|| temporary.path().to_owned());
    let service = if kept_profile.is_some() {
        KeyringDeviceSecretStore::DEFAULT_SERVICE
    } else {
        "nl.kluis.bench"
    };
    let vault = Vault::new(
        VaultFiles::new(profile.join("vault")),
        VaultConfig {
            // The KDF is not what is measured here; unlock splits it off.
            kdf: KdfPolicy::owasp_floor(),
            ..VaultConfig::default()
        },
        Arc::new(KeyringDeviceSecretStore::new(service)),
    );
    let passphrase = Passphrase::from(PASSPHRASE);

    let started = Instant::now();
    let (practitioner, client_ids) = if vault.exists() {
        let open = vault.unlock(&passphrase).unwrap();
        let connection = open.connection().unwrap();
        let practitioner = Practitioner::load_owner(connection).unwrap();
        let ids = connection
            .prepare("SELECT id FROM client ORDER BY rowid")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<Vec<String>, _>>()
            .unwrap();
        open.close().unwrap();
        println!("Reusing the vault in {}.", profile.display());
        (practitioner, ids)
    } else {
        build_vault(
            &vault,
            &passphrase,
            client_count,
            note_count,
            &vocabulary,
            &mut rng,
        )
    };
    let built = started.elapsed();
    let file_bytes = std::fs::metadata(vault.files().database()).unwrap().len();
    println!(
        "Vault of {} clients and {note_count} notes ready in {:.1} s; file {:.1} MiB.\n",
        client_ids.len(),
        built.as_secs_f64(),
        file_bytes as f64 / 1_048_576.0
    );

    // Unlock: key derivation and open (keying, migrations); the whole-file
    // integrity check, which the app runs in a child process, separately.
    let mut opens = Vec::new();
    let mut checks = Vec::new();
    for _ in 0..5 {
        let (open, timings) = vault.unlock_timed(&passphrase).unwrap();
        opens.push(timings.database_open);
        let started = Instant::now();
        open.verify_integrity().unwrap();
        checks.push(started.elapsed());
        open.close().unwrap();
    }
    let (open_median, open_p95, open_max) = summary(opens);
    let (check_median, check_p95, check_max) = summary(checks);

    let open = vault.unlock(&passphrase).unwrap();
    let connection = open.connection().unwrap();
    let scope = Scope::new(connection, &practitioner, DEVICE);
    let notes = NoteRepository::new(scope);

    // Search: one- and two-word queries, whole words and prefixes.
    let mut searches = Vec::new();
    let mut slowest: Vec<(Duration, String, usize)> = Vec::new();
    let mut hits_total = 0;
    for round in 0..300 {
        let first = vocabulary.query_word(&mut rng);
        let query = match round % 3 {
            0 => first.to_owned(),
            1 => first.chars().take(5).collect(),
            _ => format!("{first} {}", vocabulary.query_word(&mut rng)),
        };
        let started = Instant::now();
        let hits = search::search(&scope, &query).unwrap().len();
        let elapsed = started.elapsed();
        hits_total += hits;
        searches.push(elapsed);
        slowest.push((elapsed, query, hits));
    }
    slowest.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    let slowest_lines: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(elapsed, query, hits)| {
            let expression = search::match_expression(query).unwrap_or_default();
            let matching: i64 = connection
                .query_row(
                    "SELECT count(*) FROM search_index WHERE search_index MATCH ?1",
                    [&expression],
                    |row| row.get(0),
                )
                .unwrap();
            format!(
                "- {query:?}: {} ({hits} hits shown, {matching} documents match)",
                milliseconds(*elapsed, 2)
            )
        })
        .collect();
    let (search_median, search_p95, search_max) = summary(searches);

    // Timeline: 200 items of a client with about 330 notes.
    let mut timelines = Vec::new();
    for client_id in client_ids.iter().take(100) {
        let started = Instant::now();
        let items = timeline::for_client(&scope, client_id, &[], 200).unwrap();
        timelines.push(started.elapsed());
        assert_eq!(items.len(), 200);
    }
    let (timeline_median, timeline_p95, timeline_max) = summary(timelines);

    // Autosave: a draft of 1.5 KB saved again and again, a commit each.
    let draft = notes
        .create(NewNote {
            client_id: client_ids[0].clone(),
            consult_id: None,
            template: NoteTemplate::Soap,
            visibility: Visibility::CareTeam,
        })
        .unwrap();
    let mut saves = Vec::new();
    let mut content = sections(&vocabulary, NoteTemplate::Soap, &mut rng, 1_500);
    for round in 0..300 {
        content[round % 4].text.push_str(" aanvulling");
        let started = Instant::now();
        notes.save_draft(&draft.id, content.clone()).unwrap();
        saves.push(started.elapsed());
    }
    let (save_median, save_p95, save_max) = summary(saves);
    let resident = resident_memory_mib();
    open.close().unwrap();
    if kept_profile.is_none() {
        vault.destroy().unwrap();
    }

    println!("| measure | median | p95 | max | goal |");
    println!("|---|---|---|---|---|");
    println!(
        "| search, 300 queries of one or two words or a 5-letter prefix ({:.0} hits on average) | {search_median} | {search_p95} | {search_max} | < 20 ms median, < 50 ms p95 |",
        hits_total as f64 / 300.0
    );
    println!(
        "| client timeline, 200 items, 100 clients | {timeline_median} | {timeline_p95} | {timeline_max} | < 10 ms |"
    );
    println!(
        "| note autosave (1.5 KB draft, a commit each), 300 saves | {save_median} | {save_p95} | {save_max} | < 5 ms |"
    );
    println!(
        "| vault open after the KDF (key, migrations), 5 opens | {open_median} | {open_p95} | {open_max} | < 100 ms |"
    );
    println!(
        "| whole-file integrity check (in a child process, after the unlock) | {check_median} | {check_p95} | {check_max} | |"
    );
    println!("\nSlowest searches:");
    for line in &slowest_lines {
        println!("{line}");
    }
    println!(
        "\nResident memory of this process with the vault open, after the measures: {resident:.0} MiB."
    );
}
