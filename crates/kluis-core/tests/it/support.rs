//! Shared fixtures: a profile in its own temporary directory whose vault files
//! and keyring entries are removed when it is dropped.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kluis_core::record::practitioner::Role;
use kluis_core::vault::header::HeaderBody;
use kluis_core::vault::kdf::KdfPolicy;
use kluis_core::vault::keystore::{DeviceSecretStore, KeyringDeviceSecretStore};
use kluis_core::vault::secret::Passphrase;
use kluis_core::vault::throttle::ThrottlePolicy;
use kluis_core::vault::{Vault, VaultConfig, VaultFiles};
use kluis_core::{CoreError, Profile};

/// The Secret Service "service" attribute of every entry the tests make.
pub const KEYRING_SERVICE: &str = "nl.kluis.test";
pub const PASSPHRASE: &str = "paarse olifanten dansen traag 4821";
pub const NEW_PASSPHRASE: &str = "groene kikkers zingen luid bij de vijver 7390";
pub const WRONG_PASSPHRASE: &str = "oranje giraffen slapen diep 1357";
pub const PRACTITIONER: &str = "Anna de Vries";
pub const PAGE_SIZE: usize = 4 * 1024;

pub fn passphrase(text: &str) -> Passphrase {
    Passphrase::from(text)
}

pub fn keyring() -> Arc<KeyringDeviceSecretStore> {
    Arc::new(KeyringDeviceSecretStore::new(KEYRING_SERVICE))
}

/// The cheapest key derivation the core accepts and the default throttle.
pub fn fast_config() -> VaultConfig {
    VaultConfig {
        kdf: KdfPolicy::owasp_floor(),
        throttle: ThrottlePolicy::default(),
    }
}

pub fn fast_config_with_throttle(throttle: ThrottlePolicy) -> VaultConfig {
    VaultConfig {
        kdf: KdfPolicy::owasp_floor(),
        throttle,
    }
}

/// One profile directory (`<tmp>/vault/…`, `<tmp>/settings.json`). On drop it
/// destroys the vault and deletes every keyring entry it has seen, even when the
/// header on disk was swapped or damaged by the test.
#[derive(Debug)]
pub struct TestProfile {
    directory: tempfile::TempDir,
    config: VaultConfig,
    store: Arc<KeyringDeviceSecretStore>,
    vault_ids: RefCell<Vec<String>>,
}

impl TestProfile {
    pub fn new() -> Self {
        Self::with_config(fast_config())
    }

    pub fn with_config(config: VaultConfig) -> Self {
        let directory = tempfile::Builder::new()
            .prefix("kluis-it-")
            .tempdir()
            .expect("temporary directory");
        Self {
            directory,
            config,
            store: keyring(),
            vault_ids: RefCell::new(Vec::new()),
        }
    }

    pub fn path(&self) -> &Path {
        self.directory.path()
    }

    pub fn files(&self) -> VaultFiles {
        VaultFiles::new(self.path().join("vault"))
    }

    pub fn store(&self) -> Arc<KeyringDeviceSecretStore> {
        Arc::clone(&self.store)
    }

    /// A new facade on this directory, as after an app restart.
    pub fn kluis(&self) -> Profile {
        Profile::open_profile(self.path(), self.config, self.store())
    }

    /// A new vault object on this directory, as after an app restart.
    pub fn vault(&self) -> Vault {
        Vault::new(self.files(), self.config, self.store())
    }

    /// Creates the vault through the facade and returns it unlocked.
    pub fn create(&self, role: Role) -> Profile {
        let kluis = self.kluis();
        kluis
            .create_vault(&passphrase(PASSPHRASE), PRACTITIONER, role)
            .expect("create vault");
        self.remember_vault_id();
        kluis
    }

    /// Creates a psychologist's vault with one client, closes it and returns the
    /// client's id. The database file is complete afterwards (no WAL left).
    pub fn create_locked_with_client(&self) -> String {
        let kluis = self.create(Role::Psychologist);
        let client = kluis
            .create_client(sample_client("Sanne"))
            .expect("create client");
        assert!(kluis.lock().was_unlocked);
        client.id
    }

    /// The vault id in the header on disk (not verified).
    pub fn vault_id(&self) -> String {
        let bytes = std::fs::read(self.files().header()).expect("read header");
        HeaderBody::parse_unverified(&bytes)
            .expect("parse header")
            .0
            .vault_id
    }

    /// Records the current header's vault id so that its keyring entry is
    /// deleted on drop whatever happens to the header.
    pub fn remember_vault_id(&self) {
        let id = self.vault_id();
        let mut ids = self.vault_ids.borrow_mut();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
}

impl Drop for TestProfile {
    fn drop(&mut self) {
        let mut problems = Vec::new();
        if let Err(error) = self.vault().destroy() {
            problems.push(format!("destroy: {error}"));
        }
        for id in self.vault_ids.borrow().iter() {
            if let Err(error) = self.store.delete(id) {
                problems.push(format!("delete {id}: {error}"));
            }
            match self.store.load(id) {
                Err(CoreError::DeviceSecretMissing) => {}
                other => problems.push(format!("entry {id} still there: {other:?}")),
            }
        }
        if !problems.is_empty() && !std::thread::panicking() {
            panic!("cleanup failed: {problems:?}");
        }
    }
}

pub use kluis_testkit::fixtures::sample_client;

/// Runs core code and turns a panic into a clear test failure.
pub fn no_panic<T>(what: &str, action: impl FnOnce() -> T) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(action)) {
        Ok(value) => value,
        Err(_) => panic!("the core panicked during {what}"),
    }
}

/// What a vault holds on disk: the bytes of its database, of the database's
/// write-ahead log and of its header. Take one before something that must not
/// write (a refused unlock, a refused passphrase change) and check it after.
///
/// The vault runs in WAL mode, so a write lands in `vault.db-wal` first and
/// reaches `vault.db` only at a checkpoint (at the latest when the last
/// connection closes); comparing `vault.db` alone would miss a write still in
/// the log, or a log left behind by a connection that was never closed. The
/// log is compared whole, including whether it exists: after a clean close it
/// is gone.
///
/// `vault.db-shm` is left out on purpose. It is SQLite's shared-memory index
/// of the log: it holds no page and no frame of its own, it is rebuilt from
/// the log whenever it is missing or stale, and readers rewrite it (read
/// marks) on every open, so its bytes change on reads that write nothing. Any
/// write that matters is in `vault.db` or `vault.db-wal`.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    database: Vec<u8>,
    /// `None` when there is no `vault.db-wal`.
    wal: Option<Vec<u8>>,
    header: Vec<u8>,
}

/// The database's write-ahead log beside it, as SQLite names it.
pub fn wal_path(files: &VaultFiles) -> PathBuf {
    let mut path = files.database().into_os_string();
    path.push("-wal");
    PathBuf::from(path)
}

impl Snapshot {
    pub fn take(files: &VaultFiles) -> Self {
        let wal = match std::fs::read(wal_path(files)) {
            Ok(bytes) => Some(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => panic!("read vault.db-wal: {error}"),
        };
        Self {
            database: std::fs::read(files.database()).expect("read vault.db"),
            wal,
            header: std::fs::read(files.header()).expect("read vault.header.json"),
        }
    }

    /// Fails unless the database, its log and the header still hold exactly
    /// these bytes (without printing them: they are large).
    pub fn assert_unchanged(&self, files: &VaultFiles, context: &str) {
        self.assert_database_unchanged(files, context);
        assert!(
            std::fs::read(files.header()).expect("read vault.header.json") == self.header,
            "vault.header.json changed ({context})"
        );
    }

    /// [`Snapshot::assert_unchanged`] for the database and its log only (the
    /// header may have changed).
    pub fn assert_database_unchanged(&self, files: &VaultFiles, context: &str) {
        let now = Self::take(files);
        assert!(
            now.database == self.database,
            "vault.db changed ({context}): {} bytes before, {} after",
            self.database.len(),
            now.database.len()
        );
        let describe = |wal: &Option<Vec<u8>>| match wal {
            Some(bytes) => format!("{} bytes", bytes.len()),
            None => "absent".to_owned(),
        };
        assert!(
            now.wal == self.wal,
            "vault.db-wal changed ({context}): {} before, {} after",
            describe(&self.wal),
            describe(&now.wal)
        );
    }
}

pub fn flip_byte(path: &Path, offset: usize) {
    let mut bytes = std::fs::read(path).expect("read file");
    assert!(
        offset < bytes.len(),
        "offset {offset} beyond {} bytes",
        bytes.len()
    );
    bytes[offset] ^= 0x20;
    std::fs::write(path, bytes).expect("write file");
}

/// Rewrites the header through its JSON, without re-signing it.
pub fn edit_header(files: &VaultFiles, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = files.header();
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read header")).expect("header json");
    edit(&mut json);
    std::fs::write(&path, serde_json::to_vec_pretty(&json).expect("serialize"))
        .expect("write header");
}

/// A free-form draft for `client_id` whose every section reads `text`;
/// returns its id.
pub fn free_note(
    kluis: &Profile,
    client_id: &str,
    visibility: kluis_core::record::notes::Visibility,
    text: &str,
) -> String {
    use kluis_core::record::notes::{NewNote, NoteSection, NoteTemplate};
    let note = kluis
        .create_note(NewNote {
            client_id: client_id.to_owned(),
            consult_id: None,
            template: NoteTemplate::Free,
            visibility,
        })
        .expect("note");
    let sections = NoteTemplate::Free
        .section_keys()
        .iter()
        .map(|key| NoteSection {
            key: (*key).to_owned(),
            text: text.to_owned(),
        })
        .collect();
    kluis.save_draft(&note.id, sections).expect("draft");
    note.id
}
