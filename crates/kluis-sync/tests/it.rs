//! The sync client against a real store on port 0: the store it trusts, the
//! regions it accepts, and what the app is told when something is wrong.
// Test helpers outside #[test] functions panic on setup failure by design.
#![allow(clippy::expect_used)]

/// Freed memory is wiped, as in the app: the device-key test scans this
/// process for what a lock leaves behind.
#[global_allocator]
static ALLOCATOR: kluis_memory::scrub::ScrubbingAllocator = kluis_memory::scrub::ScrubbingAllocator;

use std::sync::Arc;

use kluis_protocol::records::ClientRecord;
use kluis_protocol::{Action, ChangePayload, Operation, Outcome, Record};
use kluis_server::pki::{CertificateAuthority, IssuedCertificate};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::{Practitioner, Role, Store};
use kluis_sync::{SyncClient, SyncConfig, SyncError, sync_once};
use kluis_testkit::{Backend, TestStore, off_runtime, on_both_back_ends};
use zeroize::Zeroizing;

async fn start_store(region: &str) -> TestStore {
    TestStore::start_in(region).await
}

async fn start_store_on<S: Backend>(region: &str) -> TestStore<S> {
    TestStore::start_in(region).await
}

/// What the sync scenarios make of a test store: the app's sync client for
/// a device, and laptops with a vault of their own.
trait Devices {
    /// Registers a certificate issued elsewhere as one of Anna's devices.
    fn register(&self, device_id: &str, issued: &IssuedCertificate);
    /// The sync client of the device `identity`, trusting this store's CA.
    fn client(&self, identity: &IssuedCertificate) -> SyncClient;
    /// The sync client of the device `identity`, trusting the CA in `ca_pem`.
    fn client_trusting(&self, ca_pem: &str, identity: &IssuedCertificate) -> SyncClient;
    /// A second device of the practitioner who owns `first`: its own vault
    /// and certificate, the same practitioner.
    fn second_laptop(
        &self,
        first: &Laptop,
        name: &str,
        role: kluis_core::practitioner::Role,
    ) -> Laptop;
    fn laptop(&self, name: &str, role: kluis_core::practitioner::Role) -> Laptop;
}

fn client_record() -> Record {
    Record::Client(ClientRecord {
        id: "client-1".to_owned(),
        client_code: "C-7K3F9".to_owned(),
        first_name: "Noor".to_owned(),
        last_name: None,
        email: "noor@example.nl".to_owned(),
        birth_year: 1997,
        phone: "06 1111 2222".to_owned(),
        employer: None,
        care_start: "2026-10-01".to_owned(),
        care_end: None,
        remarks: String::new(),
        health_data_consent_date: "2026-10-01".to_owned(),
        employer_reporting_opt_in: false,
        employer_reporting_date: None,
        restricted: false,
    })
}

#[tokio::test]
async fn an_enrolled_device_checks_the_store_pushes_and_pulls() {
    let store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    let info = client.check_server().await.expect("check");
    assert_eq!(info.region, "nl");
    assert_eq!(client.whoami().await.expect("whoami").device_id, "laptop");

    let pushed = client
        .push(vec![Operation {
            op_id: uuid::Uuid::new_v4(),
            action: Action::Upsert {
                record: Box::new(client_record()),
                base_version: None,
            },
        }])
        .await
        .expect("push");
    assert_eq!(pushed.results[0].outcome, Outcome::Applied { version: 1 });
    let pulled = client.pull(0, 100).await.expect("pull");
    assert_eq!(pulled.changes.len(), 1);
    assert!(matches!(
        &pulled.changes[0].payload,
        ChangePayload::Record { record } if record.reference().id == "client-1"
    ));
}

#[tokio::test]
async fn a_store_outside_the_allowed_regions_is_refused_before_anything_is_sent() {
    let store = start_store("us").await;
    let client = store.client(&store.enroll("laptop"));
    let error = client
        .check_server()
        .await
        .expect_err("us is not in the EEA");
    assert!(matches!(&error, SyncError::RegionNotAllowed { region } if region == "us"));
    assert_eq!(
        error.to_string(),
        "the central store keeps its data in us, which the policy does not allow"
    );
}

#[tokio::test]
async fn certificates_the_other_side_does_not_trust_are_reported_as_not_trusted() {
    let store = start_store("nl").await;
    let device = store.enroll("laptop");

    // The app pins another CA than the one that issued the store's certificate.
    let impostor_ca = CertificateAuthority::create("Nep-CA").expect("impostor");
    let pinned_elsewhere = store.client_trusting(&impostor_ca.certificate_pem(), &device);
    let result = pinned_elsewhere.check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );

    // A device certificate from another CA.
    let stranger = impostor_ca.issue_device("stranger").expect("stranger");
    let result = store.client(&stranger).check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );

    // An expired certificate from the right CA.
    let now = chrono::Utc::now();
    let expired = store
        .ca
        .issue_device_valid(
            "old-laptop",
            now - chrono::Duration::days(30),
            now - chrono::Duration::days(1),
        )
        .expect("expired");
    store.register("old-laptop", &expired);
    let result = store.client(&expired).check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_revoked_device_is_told_so() {
    let store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    assert!(store.store.revoke_device("laptop").expect("revoke"));
    let error = client.whoami().await.expect_err("revoked");
    assert!(matches!(error, SyncError::DeviceRevoked));
    assert!(!error.is_transient());
}

#[tokio::test]
async fn a_stopped_store_is_offline_and_the_client_resumes_when_it_is_back() {
    let mut store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    client.check_server().await.expect("online");
    store.server.take().expect("running").stop().await;
    let error = client.check_server().await.expect_err("stopped");
    assert!(matches!(error, SyncError::Offline), "{error:?}");
    assert!(error.is_transient());

    store.restart(store.address()).await;
    client.check_server().await.expect("back online");
}

/// The device key in the forms a leftover could take: its PEM text, its
/// PKCS#8 DER, the raw private scalar, and the scalar as ring's ECDSA signer
/// keeps it (Montgomery form, d·2²⁵⁶ mod n, as little-endian 64-bit limbs).
/// The plain copies made here are wiped; the scanner holds them masked only.
fn device_key_patterns(key_pem: &str) -> [kluis_memory::scan::MaskedPattern; 4] {
    use kluis_memory::scan::MaskedPattern;
    use rustls_pki_types::PrivateKeyDer;
    use rustls_pki_types::pem::PemObject;
    let mut pem = key_pem.as_bytes().to_vec();
    let der = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).expect("device key PEM");
    let mut der = der.secret_der().to_vec();
    // ECPrivateKey (RFC 5915): version 1, then the private key as a 32-byte
    // OCTET STRING.
    let at = der
        .windows(5)
        .position(|window| window == [0x02, 0x01, 0x01, 0x04, 0x20])
        .expect("a P-256 private key")
        + 5;
    let mut scalar = der[at..at + 32].to_vec();
    let order = num_bigint::BigUint::parse_bytes(
        b"FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
        16,
    )
    .expect("P-256 order");
    let montgomery = (num_bigint::BigUint::from_bytes_be(&scalar) << 256_u32) % order;
    let mut montgomery = montgomery.to_bytes_le();
    montgomery.resize(32, 0);
    [
        MaskedPattern::from_plain_wiping(&mut pem),
        MaskedPattern::from_plain_wiping(&mut der),
        MaskedPattern::from_plain_wiping(&mut scalar),
        MaskedPattern::from_plain_wiping(&mut montgomery),
    ]
}

fn key_copies(patterns: &[kluis_memory::scan::MaskedPattern; 4]) -> Vec<usize> {
    let report = kluis_memory::scan::scan_process(None, &patterns.each_ref()).expect("scan");
    assert!(report.bytes_scanned > 1_000_000, "{report:?}");
    eprintln!(
        "device key copies (PEM, DER, scalar, signer's form): {:?} in {:?}",
        report.hits, report.regions_with_hits
    );
    report.hits
}

/// A round stuck on a store that accepts and never answers is in flight when
/// the vault locks: the lock cancels it at once, and nothing of the device
/// key is left in the process (while connected, the scan finds it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_cancels_a_round_in_flight_and_leaves_no_device_key_in_memory() {
    kluis_memory::scrub::harden_process();
    let mut store = start_store("nl").await;
    let mut issued = store.enroll("laptop");
    let patterns = device_key_patterns(&issued.key_pem);
    let config = SyncConfig::new(
        store.base_url(),
        store.ca.certificate_pem(),
        issued.certificate_pem.clone(),
        Zeroizing::new(std::mem::take(&mut issued.key_pem)),
    );
    let connection = Arc::new(kluis_sync::DeviceConnection::default());
    let client = connection.client(|| config).expect("client");
    let first = connection.run(client.check_server()).await;
    assert!(matches!(first, Some(Ok(_))), "{first:?}");
    drop(client);

    // The store stops answering: a listener on its address takes connections
    // and holds them.
    store.server.take().expect("running").stop().await;
    let silent = tokio::net::TcpListener::bind(store.address())
        .await
        .expect("bind again");
    let (accepted_sender, mut accepted) = tokio::sync::mpsc::unbounded_channel();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
            let _ = accepted_sender.send(());
        }
    });
    let client = connection
        .client(|| unreachable!("the client is kept"))
        .expect("client");
    let in_flight = {
        let connection = Arc::clone(&connection);
        tokio::spawn(async move { connection.run(client.check_server()).await })
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), accepted.recv())
        .await
        .expect("the round reached the store");
    let connected = key_copies(&patterns);
    assert!(
        connected[3] > 0,
        "while connected the key must be found, or the scan proves nothing"
    );

    let locked_at = std::time::Instant::now();
    connection.forget();
    let cancelled = tokio::time::timeout(std::time::Duration::from_secs(2), in_flight)
        .await
        .expect("the lock cancels the round at once")
        .expect("round task");
    assert!(
        cancelled.is_none(),
        "the round was not cancelled: {cancelled:?}"
    );
    eprintln!("lock → round cancelled in {:?}", locked_at.elapsed());
    assert!(!connection.is_connected());
    holder.abort();
    // Connection tasks of the HTTP client end once their handles are gone.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        key_copies(&patterns),
        vec![0, 0, 0, 0],
        "the device key survived the lock"
    );
}

/// A practitioner's vault on a device enrolled with the store, removed (with
/// its keyring entry) on drop.
struct Laptop {
    kluis: kluis_core::Kluis,
    client: SyncClient,
    /// The device's certificate and key (the client above presents them).
    identity: IssuedCertificate,
    practitioner_id: String,
    _directory: tempfile::TempDir,
}

impl Drop for Laptop {
    fn drop(&mut self) {
        self.kluis.lock();
        let _ = self.kluis.vault().destroy();
    }
}

fn open_test_profile(directory: &std::path::Path) -> kluis_core::Kluis {
    kluis_core::Kluis::open_profile(
        directory,
        kluis_core::vault::VaultConfig {
            kdf: kluis_core::kdf::KdfPolicy::owasp_floor(),
            ..Default::default()
        },
        Arc::new(kluis_core::keystore::KeyringDeviceSecretStore::new(
            "nl.kluis.test-sync",
        )),
    )
}

const TEST_PASSPHRASE: &str = "paarse olifanten dansen traag 4821";

impl<S: Backend> Devices for TestStore<S> {
    fn register(&self, device_id: &str, issued: &IssuedCertificate) {
        self.register_for(device_id, "anna", issued);
    }

    fn client(&self, identity: &IssuedCertificate) -> SyncClient {
        self.client_trusting(&self.ca.certificate_pem(), identity)
    }

    fn client_trusting(&self, ca_pem: &str, identity: &IssuedCertificate) -> SyncClient {
        SyncClient::new(SyncConfig::new(
            self.base_url(),
            ca_pem,
            identity.certificate_pem.clone(),
            Zeroizing::new(identity.key_pem.clone()),
        ))
        .expect("client")
    }

    fn second_laptop(
        &self,
        first: &Laptop,
        name: &str,
        role: kluis_core::practitioner::Role,
    ) -> Laptop {
        let directory = tempfile::tempdir().expect("tempdir");
        let kluis = open_test_profile(directory.path());
        kluis
            .create_vault_for(
                &kluis_core::secret::Passphrase::from(TEST_PASSPHRASE),
                kluis_core::practitioner::Practitioner::with_id(&first.practitioner_id, name, role)
                    .expect("practitioner"),
            )
            .expect("vault");
        let device_id = format!("{}-second-laptop", first.practitioner_id);
        let identity = self.ca.issue_device(&device_id).expect("certificate");
        self.register_for(&device_id, &first.practitioner_id, &identity);
        Laptop {
            client: self.client(&identity),
            identity,
            kluis,
            practitioner_id: first.practitioner_id.clone(),
            _directory: directory,
        }
    }

    fn laptop(&self, name: &str, role: kluis_core::practitioner::Role) -> Laptop {
        use kluis_core::practitioner::Role as CoreRole;
        let directory = tempfile::tempdir().expect("tempdir");
        let kluis = open_test_profile(directory.path());
        kluis
            .create_vault(
                &kluis_core::secret::Passphrase::from(TEST_PASSPHRASE),
                name,
                role,
            )
            .expect("vault");
        let practitioner_id = kluis.practitioner_id().expect("practitioner id");
        off_runtime(|| {
            self.store.add_practitioner(&Practitioner {
                id: practitioner_id.clone(),
                display_name: name.to_owned(),
                role: match role {
                    CoreRole::Psychologist => Role::Psychologist,
                    CoreRole::LifestyleExpert => Role::LifestyleExpert,
                },
            })
        })
        .expect("practitioner");
        let device_id = format!("{name}-laptop");
        let identity = self.ca.issue_device(&device_id).expect("certificate");
        self.register_for(&device_id, &practitioner_id, &identity);
        Laptop {
            client: self.client(&identity),
            identity,
            kluis,
            practitioner_id,
            _directory: directory,
        }
    }
}

/// Anna and Bram, both psychologists, with a client Anna made and Bram was
/// then assigned to; both devices have synced.
async fn shared_client<S: Backend>() -> (TestStore<S>, Laptop, Laptop, kluis_core::clients::Client)
{
    use kluis_core::practitioner::Role as CoreRole;
    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let bram = store.laptop("Bram", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna pushes");
    store.assign(&client.id, &bram.practitioner_id);
    sync_once(&bram.client, &bram.kluis)
        .await
        .expect("bram pulls");
    (store, anna, bram, client)
}

fn sample_client() -> kluis_core::clients::ClientInput {
    kluis_core::clients::ClientInput {
        first_name: "Noor".to_owned(),
        last_name: Some("Visser".to_owned()),
        email: "noor@example.nl".to_owned(),
        birth_year: 1991,
        phone: "06 8765 4321".to_owned(),
        employer: None,
        care_start: "2026-11-02".to_owned(),
        care_end: None,
        remarks: "Werkt in ploegendienst.".to_owned(),
        consents: kluis_core::clients::Consents {
            health_data_consent_date: "2026-11-02".to_owned(),
            employer_reporting_opt_in: false,
            employer_reporting_date: None,
        },
        restricted: false,
    }
}

fn sections(
    template: kluis_core::notes::NoteTemplate,
    text: &str,
) -> Vec<kluis_core::notes::NoteSection> {
    template
        .section_keys()
        .iter()
        .map(|key| kluis_core::notes::NoteSection {
            key: (*key).to_owned(),
            text: format!("{key}: {text}"),
        })
        .collect()
}

async fn two_practitioners_share_a_client_through_the_store<S: Backend>() {
    use kluis_core::notes::{NewNote, NoteTemplate, Visibility};
    use kluis_core::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    let soap = anna
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::Soap,
            visibility: Visibility::CareTeam,
        })
        .expect("note");
    anna.kluis
        .save_draft(
            &soap.id,
            sections(NoteTemplate::Soap, "slaapdagboek gestart"),
        )
        .expect("draft");
    anna.kluis.sign_note(&soap.id).expect("sign");
    let private = anna
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::Free,
            visibility: Visibility::Private,
        })
        .expect("private");
    anna.kluis
        .save_draft(
            &private.id,
            sections(NoteTemplate::Free, "eigen werkaantekening"),
        )
        .expect("private draft");
    let consult = anna
        .kluis
        .plan_consult(kluis_core::consults::ConsultInput {
            client_ids: vec![client.id.clone()],
            kind: kluis_core::consults::ConsultKind::Video,
            date: "2026-12-01".to_owned(),
            time: "10:00".to_owned(),
            duration_minutes: 50,
            link: None,
            recurrence: None,
        })
        .expect("consult")
        .remove(0);
    let report = sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna syncs");
    assert_eq!(
        report.pushed, 4,
        "client, signed note, private draft, consult: {report:?}"
    );
    assert_eq!((report.conflicts, report.rejected), (0, 0));
    assert!(
        anna.kluis.sync_next_batch(10).expect("batch").is_empty(),
        "outbox empty"
    );

    let lotte = store.laptop("Lotte", CoreRole::LifestyleExpert);
    store.assign(&client.id, &lotte.practitioner_id);
    let report = sync_once(&lotte.client, &lotte.kluis)
        .await
        .expect("lotte syncs");
    assert_eq!(
        report.pulled, 3,
        "the client, the signed note and the consult: {report:?}"
    );
    let received_consult = lotte
        .kluis
        .get_consult(&consult.id)
        .expect("the consult arrived");
    assert_eq!(
        (
            received_consult.date.as_str(),
            received_consult.start_time.as_str()
        ),
        ("2026-12-01", "10:00")
    );
    assert_eq!(lotte.kluis.list_clients().expect("clients").len(), 1);
    let received = lotte
        .kluis
        .get_note(&soap.id)
        .expect("the signed note arrived");
    assert_eq!(
        received.content_hash,
        anna.kluis.get_note(&soap.id).expect("note").content_hash
    );
    assert!(
        lotte.kluis.get_note(&private.id).is_err(),
        "never a private note"
    );
    assert!(
        !lotte
            .kluis
            .search("slaapdagboek")
            .expect("search")
            .is_empty(),
        "received notes are searchable"
    );

    let check_in = lotte
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::LifestyleCheckIn,
            visibility: Visibility::CareTeam,
        })
        .expect("check-in");
    lotte
        .kluis
        .save_draft(
            &check_in.id,
            sections(NoteTemplate::LifestyleCheckIn, "wandelt dagelijks"),
        )
        .expect("save");
    lotte.kluis.sign_note(&check_in.id).expect("sign");
    let report = sync_once(&lotte.client, &lotte.kluis)
        .await
        .expect("lotte pushes");
    assert_eq!(report.pushed, 1);
    let report = sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna pulls");
    assert_eq!(report.pulled, 1, "{report:?}");
    assert_eq!(
        anna.kluis
            .get_note(&check_in.id)
            .expect("check-in arrived")
            .author_name,
        "Lotte"
    );
}

async fn a_push_cut_short_is_recognised_when_it_is_sent_again<S: Backend>() {
    use kluis_core::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("first sync");

    let mut changed = sample_client();
    changed.remarks = "Nachtdiensten gestopt.".to_owned();
    anna.kluis.update_client(&client.id, changed).expect("edit");
    // The push reaches the store, but the app dies before it records that.
    let batch = anna.kluis.sync_next_batch(10).expect("batch");
    let operations = batch
        .iter()
        .map(|pending| pending.operation.clone())
        .collect();
    let response = anna.client.push(operations).await.expect("push");
    assert_eq!(response.results[0].outcome, Outcome::Applied { version: 2 });

    let report = sync_once(&anna.client, &anna.kluis)
        .await
        .expect("after restart");
    assert_eq!(
        report.pushed, 1,
        "the same operation again: already applied"
    );
    let feed = anna.client.pull(0, 100).await.expect("feed");
    assert_eq!(feed.changes.len(), 1);
    assert_eq!(feed.changes[0].version, 2, "applied once, not twice");
    assert!(anna.kluis.sync_next_batch(10).expect("batch").is_empty());
}

async fn changes_made_offline_are_sent_when_the_store_is_back<S: Backend>() {
    use kluis_core::practitioner::Role as CoreRole;

    let mut store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    store.server.take().expect("running").stop().await;
    anna.kluis
        .create_client(sample_client())
        .expect("written offline");
    let error = sync_once(&anna.client, &anna.kluis)
        .await
        .expect_err("offline");
    assert!(matches!(error, SyncError::Offline), "{error:?}");
    assert_eq!(
        anna.kluis.sync_next_batch(10).expect("batch").len(),
        1,
        "still queued"
    );

    store.restart(store.address()).await;
    let report = sync_once(&anna.client, &anna.kluis)
        .await
        .expect("back online");
    assert_eq!(report.pushed, 1);
}

/// What one drill process printed before it was killed (see the drill's
/// documentation for its lines).
#[derive(Debug)]
struct DrillOutput {
    /// Round, note id and whether it was signed, for each note the drill
    /// reported committed in the vault.
    wrote: Vec<(u64, String, bool)>,
    /// The notes of the rounds whose `sync_once` returned Ok.
    synced: Vec<String>,
    /// The errors of the rounds whose `sync_once` failed.
    unsynced: Vec<String>,
    /// Where the kill landed: the last phase the drill entered ("start" if it
    /// printed nothing, "round end" right after it reported a round).
    last_phase: String,
}

impl DrillOutput {
    fn parse(stdout: &str) -> Self {
        let mut output = Self {
            wrote: Vec::new(),
            synced: Vec::new(),
            unsynced: Vec::new(),
            last_phase: "start".to_owned(),
        };
        for line in stdout.lines() {
            let words: Vec<&str> = line.splitn(5, ' ').collect();
            match words.as_slice() {
                ["phase", phase] => output.last_phase = (*phase).to_owned(),
                ["wrote", round, id, state @ ("signed" | "draft")] => {
                    let round = round.parse().expect("round number");
                    output
                        .wrote
                        .push((round, (*id).to_owned(), *state == "signed"));
                    output.last_phase = "write".to_owned();
                }
                ["round", round, id, "synced" | "unsynced", ..] => {
                    let Some((written_round, written_id, _)) = output.wrote.last() else {
                        panic!("a round reported before its note: {line:?}");
                    };
                    assert_eq!(
                        (round.parse::<u64>().expect("round number"), *id),
                        (*written_round, written_id.as_str()),
                        "a round reports the note it wrote"
                    );
                    match words.as_slice() {
                        [.., "synced"] => output.synced.push((*id).to_owned()),
                        [.., "unsynced", error] => output.unsynced.push((*error).to_owned()),
                        _ => panic!("the drill printed an unexpected line: {line:?}"),
                    }
                    output.last_phase = "round end".to_owned();
                }
                _ => panic!("the drill printed an unexpected line: {line:?}"),
            }
        }
        output
    }
}

/// Reads a child's pipe to its end in a task of its own.
fn read_in_background(
    mut pipe: impl tokio::io::AsyncRead + Unpin + Send + 'static,
) -> tokio::task::JoinHandle<String> {
    tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes).await;
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Pulls the store's feed from `cursor` to its end into `records` (by id)
/// and moves `cursor` on; returns how many of the records it received were
/// there already.
async fn pull_feed(
    client: &SyncClient,
    cursor: &mut u64,
    records: &mut std::collections::HashMap<String, Record>,
) -> usize {
    let mut repeated = 0;
    loop {
        let page = client.pull(*cursor, 1000).await.expect("pull");
        for change in &page.changes {
            if let ChangePayload::Record { record } = &change.payload
                && records
                    .insert(record.reference().id, (**record).clone())
                    .is_some()
            {
                repeated += 1;
            }
        }
        *cursor = page.cursor;
        if !page.more {
            return repeated;
        }
    }
}

/// Fails unless the store holds the note the drill reported writing in
/// `round`: its text, signed if and only if the drill signed it.
fn assert_on_store_as_written(
    records: &std::collections::HashMap<String, Record>,
    (round, id, signed): &(u64, String, bool),
    context: &str,
) {
    let Some(Record::Note(remote)) = records.get(id) else {
        panic!("{context}: note {id} of round {round} is not on the store");
    };
    let texts: Vec<&str> = remote.sections.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [format!("Ronde {round}: korte aantekening.")],
        "{context}: note {id} on the store holds what the drill wrote"
    );
    assert_eq!(
        remote.content_hash.is_some(),
        *signed,
        "{context}: note {id} on the store is signed if and only if the drill signed it"
    );
}

/// Fails unless `remote` is the note `local`: the same texts and the same
/// signature state.
fn assert_same_note(local: &kluis_core::notes::Note, remote: Option<&Record>, context: &str) {
    let Some(Record::Note(remote)) = remote else {
        panic!("{context}: note {} is not on the store", local.id);
    };
    let local_texts: Vec<&str> = local.sections.iter().map(|s| s.text.as_str()).collect();
    let remote_texts: Vec<&str> = remote.sections.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        local_texts, remote_texts,
        "{context}: note {} is the same on both sides",
        local.id
    );
    assert_eq!(
        remote.content_hash, local.content_hash,
        "{context}: note {}: same signature state",
        local.id
    );
}

/// The drill (`kluis-sync-drill`) writes a note and syncs, round after round,
/// and is SIGKILLed at a random moment, 50 times. Every round it reported is
/// checked: the note of a round it reported synced is on the store right
/// after the kill (before another drill could push it); every note it
/// reported committed is in the vault as written and, after a last sync, on
/// the store the same. Most rounds must have synced, and the kills must have
/// landed in the push, the pull and the access-log upload.
async fn a_sync_killed_at_random_moments_loses_nothing_and_duplicates_nothing<S: Backend>() {
    use std::os::unix::process::ExitStatusExt;

    use kluis_core::practitioner::Role as CoreRole;
    use rand::Rng;

    const KILLS: usize = 50;
    /// How long each drill runs before it is killed, from its start.
    const PAUSE_MILLIS: std::ops::Range<u64> = 150..900;

    let started = std::time::Instant::now();
    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("first sync");
    anna.kluis.lock();

    // The drill is Anna's laptop after a restart: the same vault and the same
    // device certificate (the vault's access-log chain belongs to the device
    // that started it; another device may not add to it).
    let files = tempfile::tempdir().expect("tempdir");
    let identity = &anna.identity;
    let write = |name: &str, text: &str| {
        let path = files.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.display().to_string()
    };
    let ca = write("ca.pem", &store.ca.certificate_pem());
    let certificate = write("device.pem", &identity.certificate_pem);
    let key = write("device.key.pem", &identity.key_pem);
    let url = store.base_url();

    let mut wrote = Vec::new();
    let mut synced = 0;
    let mut unsynced = Vec::new();
    // What the store holds, read after each kill and before the next drill
    // starts (it would push what the killed one left in the outbox).
    let mut on_store = std::collections::HashMap::new();
    let mut feed_cursor = 0;
    let mut kills_per_phase = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..KILLS {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_kluis-sync-drill"))
            .args([
                anna._directory.path().display().to_string(),
                url.clone(),
                ca.clone(),
                certificate.clone(),
                key.clone(),
                client.id.clone(),
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("drill");
        {
            use tokio::io::AsyncWriteExt;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin
                .write_all(format!("{TEST_PASSPHRASE}\n").as_bytes())
                .await
                .expect("passphrase");
        }
        // Read what it prints as it goes, so a full pipe never holds it up.
        let stdout = read_in_background(child.stdout.take().expect("stdout"));
        let stderr = read_in_background(child.stderr.take().expect("stderr"));
        let pause = rand::thread_rng().gen_range(PAUSE_MILLIS);
        tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
        // An error here means the drill already ended; its status says why.
        let _ = child.start_kill();
        let status = child.wait().await.expect("reaped");
        let stdout = stdout.await.expect("stdout");
        assert_eq!(
            status.signal(),
            Some(9),
            "the drill ran until it was killed ({status}): {}",
            stderr.await.expect("stderr")
        );
        let drill = DrillOutput::parse(&stdout);
        *kills_per_phase.entry(drill.last_phase).or_default() += 1;

        // A round the drill reported synced has its note on the store, as
        // the drill wrote it.
        pull_feed(&anna.client, &mut feed_cursor, &mut on_store).await;
        for id in &drill.synced {
            let written = drill
                .wrote
                .iter()
                .find(|(_, written, _)| written == id)
                .expect("a synced round's note was reported written");
            assert_on_store_as_written(&on_store, written, "reported synced");
        }
        synced += drill.synced.len();
        wrote.extend(drill.wrote);
        unsynced.extend(drill.unsynced);
    }
    eprintln!(
        "drill on {}: {KILLS} kills, {} rounds written, {} synced, {} failed {:?}, \
         kills per phase {kills_per_phase:?}, {:.1} s",
        std::any::type_name::<S>(),
        wrote.len(),
        synced,
        unsynced.len(),
        &unsynced[..unsynced.len().min(3)],
        started.elapsed().as_secs_f64()
    );

    // After the crashes: the vault opens (nothing torn).
    anna.kluis
        .unlock(&kluis_core::secret::Passphrase::from(TEST_PASSPHRASE))
        .expect("the vault survived every kill");

    // The outbox drains.
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("final sync");
    assert!(
        anna.kluis.sync_next_batch(10).expect("batch").is_empty(),
        "outbox drained"
    );
    let mut server = std::collections::HashMap::new();
    assert_eq!(
        pull_feed(&anna.client, &mut 0, &mut server).await,
        0,
        "a record appears once in the feed"
    );

    // Every note the drill reported committed is in the vault as written, and
    // on the store the same.
    for written in &wrote {
        let (round, id, signed) = written;
        let local = anna
            .kluis
            .get_note(id)
            .unwrap_or_else(|error| panic!("note {id} reported committed is lost: {error}"));
        assert_eq!(
            local.sections,
            vec![kluis_core::notes::NoteSection {
                key: "text".to_owned(),
                text: format!("Ronde {round}: korte aantekening."),
            }],
            "note {id} holds what the drill wrote"
        );
        assert_eq!(
            local.content_hash.is_some(),
            *signed,
            "note {id} is signed if and only if the drill signed it"
        );
        assert_on_store_as_written(&server, written, "reported committed");
        assert_same_note(&local, server.get(id), "reported committed");
    }

    // Every note in the vault is on the store, exactly as it is here, once.
    let timeline = anna
        .kluis
        .client_timeline(&client.id, &[], 100_000)
        .expect("timeline");
    let local_notes: Vec<&str> = timeline.iter().map(|item| item.id.as_str()).collect();
    assert!(
        local_notes.len() >= wrote.len(),
        "{} notes in the vault, {} reported written",
        local_notes.len(),
        wrote.len()
    );
    for id in &local_notes {
        let local = anna.kluis.get_note(id).expect("local note");
        assert_same_note(&local, server.get(*id), "in the vault");
    }
    assert_eq!(
        server.len(),
        local_notes.len() + 1,
        "the store holds the client and exactly the notes in the vault"
    );

    // And the drill proved something: it did work, synced, and was killed in
    // each phase of a round.
    assert!(
        wrote.len() > 50,
        "the drill got work done between kills: {} rounds",
        wrote.len()
    );
    // A round fails only when the store refuses it: most must sync, and on
    // average more than one in each drill.
    assert!(
        synced >= KILLS && synced * 2 > wrote.len(),
        "rounds inside the drill synced: {synced} of {}, first failures: {:?}",
        wrote.len(),
        &unsynced[..unsynced.len().min(3)]
    );
    for phase in ["push", "pull", "audit"] {
        assert!(
            kills_per_phase.get(phase).copied().unwrap_or(0) >= 1,
            "no kill landed in the {phase} phase: {kills_per_phase:?}"
        );
    }
}

async fn two_devices_editing_different_fields_of_a_client_offline_both_keep_their_change<
    S: Backend,
>() {
    let (_store, anna, bram, client) = shared_client::<S>().await;

    // Both edit while offline: Anna the remarks, Bram the phone number.
    let mut anna_edit = sample_client();
    anna_edit.remarks = "Werkt sinds oktober overdag.".to_owned();
    anna.kluis
        .update_client(&client.id, anna_edit)
        .expect("anna edits");
    let mut bram_edit = sample_client();
    bram_edit.phone = "06 5555 0000".to_owned();
    bram.kluis
        .update_client(&client.id, bram_edit)
        .expect("bram edits");

    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna first");
    let report = sync_once(&bram.client, &bram.kluis)
        .await
        .expect("bram second");
    assert_eq!(
        report.conflicts, 1,
        "the store saw Bram's edit was on an old version"
    );
    sync_once(&bram.client, &bram.kluis)
        .await
        .expect("bram sends the merge");
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna receives it");

    for (who, laptop) in [("Anna", &anna), ("Bram", &bram)] {
        let merged = laptop.kluis.get_client(&client.id).expect("client");
        assert_eq!(
            merged.input.remarks, "Werkt sinds oktober overdag.",
            "{who}: Anna's change"
        );
        assert_eq!(merged.input.phone, "06 5555 0000", "{who}: Bram's change");
        assert!(
            laptop.kluis.sync_next_batch(10).expect("batch").is_empty(),
            "{who}: nothing pending"
        );
    }
}

async fn a_draft_edited_on_two_devices_of_its_author_keeps_both_versions_until_the_author_chooses<
    S: Backend,
>() {
    use kluis_core::conflicts::ConflictChoice;
    use kluis_core::notes::{NewNote, NoteTemplate, Visibility};
    use kluis_core::outbox::SyncKind;
    use kluis_core::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let desk = store.laptop("Anna", CoreRole::Psychologist);
    let travel = store.second_laptop(&desk, "Anna", CoreRole::Psychologist);
    let client = desk.kluis.create_client(sample_client()).expect("client");
    let note = desk
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::Free,
            visibility: Visibility::CareTeam,
        })
        .expect("draft");
    desk.kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "eerste versie"))
        .expect("typed");
    sync_once(&desk.client, &desk.kluis)
        .await
        .expect("desk pushes");
    sync_once(&travel.client, &travel.kluis)
        .await
        .expect("travel pulls");
    assert_eq!(
        travel
            .kluis
            .get_note(&note.id)
            .expect("draft on the second device")
            .sections,
        sections(NoteTemplate::Free, "eerste versie"),
        "the author's own draft reaches her other device"
    );

    // Both devices edit the draft offline.
    desk.kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "aan het bureau"))
        .expect("desk edits");
    travel
        .kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "in de trein"))
        .expect("travel edits");
    sync_once(&desk.client, &desk.kluis)
        .await
        .expect("desk first");
    let report = sync_once(&travel.client, &travel.kluis)
        .await
        .expect("travel second");
    assert_eq!(report.conflicts, 1);

    // Both versions are kept: the store's in the note, this device's beside it.
    let conflicts = travel.kluis.sync_conflicts().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let conflict = &conflicts[0];
    assert_eq!(conflict.kind, SyncKind::Note);
    assert_eq!(conflict.record_id, note.id);
    assert_eq!(conflict.refusal, None);
    assert_eq!(conflict.fields.len(), 1);
    assert_eq!(conflict.fields[0].mine, "text: in de trein");
    assert_eq!(conflict.fields[0].theirs, "text: aan het bureau");
    assert_eq!(
        travel.kluis.get_note(&note.id).expect("note").sections,
        sections(NoteTemplate::Free, "aan het bureau")
    );
    assert_eq!(travel.kluis.sync_conflict_count().expect("count"), 1);

    // The author keeps the version from the train; it reaches the desk.
    travel
        .kluis
        .resolve_sync_conflict(SyncKind::Note, &note.id, ConflictChoice::KeepMine)
        .expect("resolve");
    assert_eq!(travel.kluis.sync_conflict_count().expect("count"), 0);
    let report = sync_once(&travel.client, &travel.kluis)
        .await
        .expect("travel sends the choice");
    assert_eq!((report.pushed, report.conflicts), (1, 0));
    sync_once(&desk.client, &desk.kluis)
        .await
        .expect("desk pulls");
    for (which, laptop) in [("desk", &desk), ("travel", &travel)] {
        assert_eq!(
            laptop.kluis.get_note(&note.id).expect("note").sections,
            sections(NoteTemplate::Free, "in de trein"),
            "{which}"
        );
        assert!(
            laptop.kluis.sync_conflicts().expect("conflicts").is_empty(),
            "{which}"
        );
    }
}

async fn a_client_field_changed_on_both_sides_waits_for_the_author_and_the_rest_merges<
    S: Backend,
>() {
    use kluis_core::conflicts::ConflictChoice;
    use kluis_core::outbox::SyncKind;

    let (_store, anna, bram, client) = shared_client::<S>().await;

    // Both change the phone number; Bram also the remarks.
    let mut anna_edit = sample_client();
    anna_edit.phone = "06 1111 1111".to_owned();
    anna.kluis
        .update_client(&client.id, anna_edit)
        .expect("anna edits");
    let mut bram_edit = sample_client();
    bram_edit.phone = "06 2222 2222".to_owned();
    bram_edit.remarks = "Liever 's ochtends bellen.".to_owned();
    bram.kluis
        .update_client(&client.id, bram_edit)
        .expect("bram edits");
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna first");
    sync_once(&bram.client, &bram.kluis)
        .await
        .expect("bram second");

    let conflicts = bram.kluis.sync_conflicts().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, SyncKind::Client);
    assert_eq!(
        conflicts[0].client_code.as_deref(),
        Some(client.client_code.as_str())
    );
    let fields: Vec<(&str, &str, &str)> = conflicts[0]
        .fields
        .iter()
        .map(|field| {
            (
                field.key.as_str(),
                field.mine.as_str(),
                field.theirs.as_str(),
            )
        })
        .collect();
    assert_eq!(fields, [("phone", "06 2222 2222", "06 1111 1111")]);
    let merged = bram.kluis.get_client(&client.id).expect("client");
    assert_eq!(
        merged.input.phone, "06 1111 1111",
        "the store's value until Bram chooses"
    );
    assert_eq!(merged.input.remarks, "Liever 's ochtends bellen.", "merged");

    bram.kluis
        .resolve_sync_conflict(SyncKind::Client, &client.id, ConflictChoice::KeepMine)
        .expect("keep mine");
    sync_once(&bram.client, &bram.kluis)
        .await
        .expect("bram sends");
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna pulls");
    for (who, laptop) in [("Anna", &anna), ("Bram", &bram)] {
        let client = laptop.kluis.get_client(&client.id).expect("client");
        assert_eq!(client.input.phone, "06 2222 2222", "{who}");
        assert_eq!(client.input.remarks, "Liever 's ochtends bellen.", "{who}");
        assert!(
            laptop.kluis.sync_conflicts().expect("conflicts").is_empty(),
            "{who}"
        );
    }
}

#[tokio::test]
async fn the_access_log_reaches_the_store_once_and_the_pull_reports_progress() {
    use kluis_core::practitioner::Role as CoreRole;

    let store = start_store("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    for _ in 0..3 {
        anna.kluis.create_client(sample_client()).expect("client");
    }
    let first = sync_once(&anna.client, &anna.kluis).await.expect("sync");
    let logged = anna.kluis.verify_access_log().expect("chain").entries;
    assert!(first.audit_uploaded >= 3, "{first:?}");
    assert_eq!(first.audit_uploaded, logged, "{first:?}");

    let stored = |sql: &str| -> i64 {
        rusqlite::Connection::open(store.directory.path().join("store.db"))
            .expect("store database")
            .query_row(sql, [], |row| row.get(0))
            .expect("query")
    };
    assert_eq!(stored("SELECT count(*) FROM audit_log"), i64::from(logged));
    let again = sync_once(&anna.client, &anna.kluis).await.expect("sync");
    assert_eq!(again.audit_uploaded, 0, "nothing twice");
    anna.kluis.list_clients().expect("a logged read");
    let third = sync_once(&anna.client, &anna.kluis).await.expect("sync");
    assert_eq!(third.audit_uploaded, 1);
    assert_eq!(
        stored("SELECT count(*) FROM audit_log"),
        i64::from(logged) + 1
    );

    // Her second device receives the three clients and hears how far it is.
    let travel = store.second_laptop(&anna, "Anna", CoreRole::Psychologist);
    let mut progress = Vec::new();
    let report = kluis_sync::sync_once_with_progress(&travel.client, &travel.kluis, |step| {
        progress.push(step);
    })
    .await
    .expect("first sync");
    assert_eq!(report.pulled, 3);
    assert_eq!(
        progress,
        [kluis_sync::PullProgress {
            received: 3,
            total: 3
        }]
    );
}

/// Anna plans an OpenUp Space session for two clients; Lotte is assigned to
/// one of them only. Her device once failed the whole page on the client it
/// never holds, never moved its cursor, and lost what she wrote afterwards at
/// the next lock. Now it keeps syncing with what it may see.
async fn a_group_consult_reaching_a_partly_assigned_colleague_never_wedges_her_device<
    S: Backend,
>() {
    use kluis_core::consults::{ConsultInput, ConsultKind};
    use kluis_core::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let lotte = store.laptop("Lotte", CoreRole::Psychologist);
    let shared = anna.kluis.create_client(sample_client()).expect("client X");
    let mut other_input = sample_client();
    other_input.first_name = "Sem".to_owned();
    let other = anna.kluis.create_client(other_input).expect("client Y");
    let planned = anna
        .kluis
        .plan_consult(ConsultInput {
            client_ids: vec![shared.id.clone(), other.id.clone()],
            kind: ConsultKind::GroupSession,
            date: "2026-12-08".to_owned(),
            time: "10:00".to_owned(),
            duration_minutes: 90,
            link: None,
            recurrence: None,
        })
        .expect("group consult");
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna pushes");
    store.assign(&shared.id, &lotte.practitioner_id);

    sync_once(&lotte.client, &lotte.kluis)
        .await
        .expect("Lotte's device takes the consult with what she may see");
    let consult = lotte
        .kluis
        .get_consult(&planned[0].id)
        .expect("the consult is on her device");
    let client_ids: Vec<&str> = consult
        .clients
        .iter()
        .map(|client| client.id.as_str())
        .collect();
    assert_eq!(
        client_ids,
        vec![shared.id.as_str()],
        "only the client she holds"
    );
    assert!(
        matches!(
            lotte.kluis.get_client(&other.id),
            Err(kluis_core::CoreError::NotFound("client"))
        ),
        "the other client never reaches her"
    );

    let mut written_input = sample_client();
    written_input.first_name = "Mila".to_owned();
    let written = lotte
        .kluis
        .create_client(written_input)
        .expect("a client written afterwards");
    let report = sync_once(&lotte.client, &lotte.kluis)
        .await
        .expect("her next round");
    assert_eq!(report.pushed, 1, "{report:?}");
    lotte.kluis.lock();
    lotte
        .kluis
        .unlock(&kluis_core::secret::Passphrase::from(TEST_PASSPHRASE))
        .expect("unlock");
    assert_eq!(
        lotte
            .kluis
            .get_client(&written.id)
            .expect("still there")
            .input
            .first_name,
        "Mila",
        "nothing written after the consult is lost to the lock"
    );
    store.assign(&written.id, &anna.practitioner_id);
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna pulls");
    assert_eq!(
        anna.kluis
            .get_client(&written.id)
            .expect("on the store")
            .input
            .first_name,
        "Mila"
    );
}

/// The scenarios above, once against each back end (`sqlite::…` and
/// `postgres::…`). A scenario runs on `#[tokio::test]` unless it names its
/// own runtime: `#[tokio::test(flavor = "multi_thread")] scenario`.
/// A device signs a note under the name its vault knows; the store writes
/// the signer's name from the certificate's practitioner and the signing
/// time from its own clock, and the device then shows what the store
/// recorded, while the signed words stay exactly as they were.
async fn the_device_shows_the_signature_the_store_recorded<S: Backend>() {
    use kluis_core::notes::{NewNote, NoteTemplate, Visibility};
    use kluis_core::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna de Vries", CoreRole::Psychologist);
    let travel = store.second_laptop(&anna, "Anna (reislaptop)", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna pushes");
    sync_once(&travel.client, &travel.kluis)
        .await
        .expect("the travel laptop pulls");
    let note = travel
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::Free,
            visibility: Visibility::CareTeam,
        })
        .expect("note");
    travel
        .kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "rustig gesprek"))
        .expect("draft");
    let signed_here = travel.kluis.sign_note(&note.id).expect("sign");
    assert_eq!(signed_here.signed_by.as_deref(), Some("Anna (reislaptop)"));
    sync_once(&travel.client, &travel.kluis)
        .await
        .expect("push and pull");
    let shown = travel.kluis.get_note(&note.id).expect("note");
    assert_eq!(
        shown.signed_by.as_deref(),
        Some("Anna de Vries"),
        "the store's signer"
    );
    assert_eq!(shown.author_name, "Anna de Vries");
    assert_eq!(
        shown.sections, signed_here.sections,
        "the words never change"
    );
    assert_eq!(shown.content_hash, signed_here.content_hash);
    sync_once(&anna.client, &anna.kluis)
        .await
        .expect("anna pulls");
    let on_desk = anna.kluis.get_note(&note.id).expect("on the desk");
    assert_eq!(on_desk.signed_by, shown.signed_by);
    assert_eq!(
        on_desk.signed_at, shown.signed_at,
        "one signing time everywhere"
    );
}

on_both_back_ends!(
    a_group_consult_reaching_a_partly_assigned_colleague_never_wedges_her_device,
    the_device_shows_the_signature_the_store_recorded,
    two_practitioners_share_a_client_through_the_store,
    changes_made_offline_are_sent_when_the_store_is_back,
    two_devices_editing_different_fields_of_a_client_offline_both_keep_their_change,
    a_draft_edited_on_two_devices_of_its_author_keeps_both_versions_until_the_author_chooses,
    a_client_field_changed_on_both_sides_waits_for_the_author_and_the_rest_merges,
    a_push_cut_short_is_recognised_when_it_is_sent_again,
    // The drill's test drives child processes and the store at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    a_sync_killed_at_random_moments_loses_nothing_and_duplicates_nothing,
);
