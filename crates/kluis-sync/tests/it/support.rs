//! The stores, devices and laptops the scenarios share.

use std::sync::Arc;

use kluis_protocol::Record;
use kluis_protocol::records::ClientRecord;
use kluis_server::pki::IssuedCertificate;
use kluis_server::store::Practitioner;
use kluis_sync::{SyncClient, SyncConfig, sync_once};
use kluis_testkit::{Backend, TestStore, off_runtime};
use zeroize::Zeroizing;

pub(crate) async fn start_store(region: &str) -> TestStore {
    TestStore::start_in(region).await
}

pub(crate) async fn start_store_on<S: Backend>(region: &str) -> TestStore<S> {
    TestStore::start_in(region).await
}

/// What the sync scenarios make of a test store: the app's sync client for
/// a device, and laptops with a vault of their own.
pub(crate) trait Devices {
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
        role: kluis_core::record::practitioner::Role,
    ) -> Laptop;
    fn laptop(&self, name: &str, role: kluis_core::record::practitioner::Role) -> Laptop;
    /// The identity an enrolled `laptop` keeps in its vault for this store.
    fn identity_of(&self, laptop: &Laptop) -> kluis_core::SyncIdentity;
    /// Puts that identity in the laptop's vault, as an enrollment does.
    fn knows_its_store(&self, laptop: &Laptop) {
        laptop
            .kluis
            .set_sync_identity(&self.identity_of(laptop))
            .expect("identity");
    }
}

pub(crate) fn client_record() -> Record {
    client_record_with_id("client-1")
}

/// The store's test client, as a record with the id `id`.
pub(crate) fn client_record_with_id(id: &str) -> Record {
    Record::Client(ClientRecord {
        id: id.to_owned(),
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
        health_data_consent_withdrawn: None,
        privacy_log: Vec::new(),
    })
}

/// A practitioner's vault on a device enrolled with the store, removed (with
/// its keyring entry) on drop.
pub(crate) struct Laptop {
    pub(crate) kluis: Arc<kluis_core::Profile>,
    pub(crate) client: SyncClient,
    /// The device's certificate and key (the client above presents them).
    pub(crate) identity: IssuedCertificate,
    pub(crate) practitioner_id: String,
    pub(crate) _directory: tempfile::TempDir,
}

impl Drop for Laptop {
    fn drop(&mut self) {
        self.kluis.lock();
        let _ = self.kluis.vault().destroy();
    }
}

impl Laptop {
    /// One sync round of this laptop; `step` names it when it fails.
    /// A free-text care-team draft of the client holding `text`; its id.
    pub(crate) fn draft(&self, client_id: &str, text: &str) -> String {
        use kluis_core::record::notes::{NewNote, NoteTemplate, Visibility};
        let note = self
            .kluis
            .create_note(NewNote {
                client_id: client_id.to_owned(),
                consult_id: None,
                template: NoteTemplate::Free,
                visibility: Visibility::CareTeam,
            })
            .expect("note");
        self.kluis
            .save_draft(&note.id, sections(NoteTemplate::Free, text))
            .expect("draft");
        note.id
    }

    /// [`Laptop::draft`], signed.
    pub(crate) fn signed_note(&self, client_id: &str, text: &str) -> String {
        let id = self.draft(client_id, text);
        self.kluis.sign_note(&id).expect("signed");
        id
    }

    pub(crate) async fn sync(&self, step: &str) -> kluis_sync::SyncReport {
        sync_once(&self.client, &self.kluis)
            .await
            .unwrap_or_else(|error| panic!("{step}: {error}"))
    }
}

pub(crate) fn open_test_profile(directory: &std::path::Path) -> Arc<kluis_core::Profile> {
    Arc::new(kluis_core::Profile::open_profile(
        directory,
        kluis_core::vault::VaultConfig {
            kdf: kluis_core::vault::kdf::KdfPolicy::owasp_floor(),
            ..Default::default()
        },
        Arc::new(kluis_core::vault::keystore::KeyringDeviceSecretStore::new(
            "nl.kluis.test-sync",
        )),
    ))
}

pub(crate) const TEST_PASSPHRASE: &str = "paarse olifanten dansen traag 4821";

impl<S: Backend> Devices for TestStore<S> {
    fn register(&self, device_id: &str, issued: &IssuedCertificate) {
        self.register_for(device_id, "anna", issued);
    }

    fn identity_of(&self, laptop: &Laptop) -> kluis_core::SyncIdentity {
        kluis_core::SyncIdentity {
            server_url: self.base_url(),
            ca_pem: self.ca.certificate_pem(),
            certificate_pem: laptop.identity.certificate_pem.clone(),
            key_pem: Zeroizing::new(laptop.identity.key_pem.clone()),
        }
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
        role: kluis_core::record::practitioner::Role,
    ) -> Laptop {
        let directory = tempfile::tempdir().expect("tempdir");
        let kluis = open_test_profile(directory.path());
        kluis
            .create_vault_for(
                &kluis_core::vault::secret::Passphrase::from(TEST_PASSPHRASE),
                kluis_core::record::practitioner::Practitioner::with_id(
                    &first.practitioner_id,
                    name,
                    role,
                )
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

    fn laptop(&self, name: &str, role: kluis_core::record::practitioner::Role) -> Laptop {
        let directory = tempfile::tempdir().expect("tempdir");
        let kluis = open_test_profile(directory.path());
        kluis
            .create_vault(
                &kluis_core::vault::secret::Passphrase::from(TEST_PASSPHRASE),
                name,
                role,
            )
            .expect("vault");
        let practitioner_id = kluis.practitioner_id().expect("practitioner id");
        off_runtime(|| {
            self.store.add_practitioner(&Practitioner {
                id: practitioner_id.clone(),
                display_name: name.to_owned(),
                role,
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
pub(crate) async fn shared_client<S: Backend>() -> (
    TestStore<S>,
    Laptop,
    Laptop,
    kluis_core::record::clients::Client,
) {
    use kluis_core::record::practitioner::Role as CoreRole;
    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let bram = store.laptop("Bram", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    anna.sync("anna pushes").await;
    store.assign(&client.id, &bram.practitioner_id);
    bram.sync("bram pulls").await;
    (store, anna, bram, client)
}

/// Noor, the client the sharing scenarios pass between devices.
pub(crate) fn sample_client() -> kluis_core::ClientInput {
    kluis_testkit::fixtures::sample_client("Noor")
}

pub(crate) fn sections(
    template: kluis_core::record::notes::NoteTemplate,
    text: &str,
) -> Vec<kluis_core::record::notes::NoteSection> {
    template
        .section_keys()
        .iter()
        .map(|key| kluis_core::record::notes::NoteSection {
            key: (*key).to_owned(),
            // The WHO-5 answers of a check-in are digits, nothing else.
            text: if kluis_protocol::records::is_who5_item(key) {
                "3".to_owned()
            } else {
                format!("{key}: {text}")
            },
        })
        .collect()
}
