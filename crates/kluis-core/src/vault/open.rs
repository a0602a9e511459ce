//! Opening a vault: the key hierarchy from passphrase and device secret to
//! the SQLCipher key, the throttle before it, and the files it keeps.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::RngCore;
use rusqlite::Connection;

use crate::error::{CoreError, CoreResult};
use crate::vault::db;
use crate::vault::fsutil::write_atomically;
use crate::vault::header::{HEADER_FORMAT_VERSION, HeaderBody, SqlcipherSettings};
use crate::vault::integrity::BackgroundCheck;
use crate::vault::kdf::{self, KdfPolicy};
use crate::vault::keystore::DeviceSecretStore;
use crate::vault::secret::{DataKey, DeviceSecret, Passphrase};
use crate::vault::throttle::{Throttle, ThrottlePolicy};

/// Options for creating and opening vaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct VaultConfig {
    pub kdf: KdfPolicy,
    pub throttle: ThrottlePolicy,
}

/// The files that make up a vault in its directory.
#[derive(Debug, Clone)]
pub struct VaultFiles {
    directory: PathBuf,
}

impl VaultFiles {
    pub fn new(directory: impl Into<PathBuf>) -> Self {
        Self {
            directory: directory.into(),
        }
    }

    pub fn directory(&self) -> &Path {
        &self.directory
    }

    pub fn database(&self) -> PathBuf {
        self.directory.join("vault.db")
    }

    pub fn header(&self) -> PathBuf {
        self.directory.join("vault.header.json")
    }

    pub fn throttle(&self) -> PathBuf {
        self.directory.join("vault.throttle.json")
    }
}

/// How long the two halves of an unlock took.
#[derive(Debug, Clone, Copy)]
pub struct UnlockTimings {
    pub key_derivation: Duration,
    pub database_open: Duration,
}

/// A vault on disk, locked.
#[derive(Debug, Clone)]
pub struct Vault {
    files: VaultFiles,
    config: VaultConfig,
    secrets: Arc<dyn DeviceSecretStore>,
}

impl Vault {
    pub fn new(
        files: VaultFiles,
        config: VaultConfig,
        secrets: Arc<dyn DeviceSecretStore>,
    ) -> Self {
        Self {
            files,
            config,
            secrets,
        }
    }

    pub fn files(&self) -> &VaultFiles {
        &self.files
    }

    /// A vault exists once its header is written; the header is the last file
    /// written at creation, so a crash during creation leaves no half vault.
    pub fn exists(&self) -> bool {
        self.files.header().exists()
    }

    /// Makes a new vault: a random data key, a fresh device secret in the OS
    /// keyring, calibrated Argon2id parameters and an empty, migrated database.
    pub fn create(&self, passphrase: &Passphrase) -> CoreResult<OpenVault> {
        if self.exists() {
            return Err(CoreError::VaultExists(self.files.directory.clone()));
        }
        std::fs::create_dir_all(&self.files.directory)
            .map_err(CoreError::io(&self.files.directory))?;
        // Leftovers of an interrupted creation hold no usable data (their key was
        // never written down), so they are removed.
        for leftover in [self.files.database(), self.files.throttle()] {
            remove_with_sqlite_siblings(&leftover)?;
        }

        let vault_id = uuid::Uuid::new_v4().to_string();
        let argon2 = self.config.kdf.calibrate()?;
        let data_key = DataKey::generate();
        let device_secret = DeviceSecret::generate();
        let settings = SqlcipherSettings::recommended(db::cipher_version()?);

        let mut connection =
            db::open_encrypted(&self.files.database(), &data_key, &settings, true)?;
        db::migrate(&mut connection)?;
        let database_salt = read_database_salt(&self.files.database())?;

        let mut header = HeaderBody {
            format_version: HEADER_FORMAT_VERSION,
            vault_id: vault_id.clone(),
            created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            argon2,
            passphrase_salt: String::new(),
            wrap_nonce: String::new(),
            wrapped_data_key: String::new(),
            database_salt: hex::encode(database_salt),
            sqlcipher: settings,
        };
        rewrap(&mut header, &data_key, &device_secret, passphrase)?;
        self.secrets.store(&vault_id, &device_secret)?;
        let mac_key = kdf::derive_header_mac_key(&device_secret, &vault_id)?;
        write_atomically(&self.files.header(), &header.to_signed_json(&mac_key)?)?;
        tracing::info!(vault_id = %vault_id, "vault created");
        Ok(OpenVault {
            connection: Some(connection),
            database: self.files.database(),
            data_key,
            header,
        })
    }

    pub fn unlock(&self, passphrase: &Passphrase) -> CoreResult<OpenVault> {
        self.unlock_timed(passphrase).map(|(vault, _)| vault)
    }

    /// Unlocks and reports how long key derivation and opening took.
    pub fn unlock_timed(&self, passphrase: &Passphrase) -> CoreResult<(OpenVault, UnlockTimings)> {
        let throttle = self.throttle();
        throttle.check()?;
        let (header, device_secret) = self.read_verified_header()?;

        let derivation_started = Instant::now();
        let data_key = unwrap_counting_failures(&throttle, &header, &device_secret, passphrase)?;
        let key_derivation = derivation_started.elapsed();

        let open_started = Instant::now();
        let mut connection =
            db::open_encrypted(&self.files.database(), &data_key, &header.sqlcipher, false)?;
        db::migrate(&mut connection)?;
        let database_open = open_started.elapsed();

        throttle.record_success()?;
        Ok((
            OpenVault {
                connection: Some(connection),
                database: self.files.database(),
                data_key,
                header,
            },
            UnlockTimings {
                key_derivation,
                database_open,
            },
        ))
    }

    /// Rewraps the data key under a new passphrase; the database is not touched.
    pub fn change_passphrase(&self, current: &Passphrase, new: &Passphrase) -> CoreResult<()> {
        let throttle = self.throttle();
        throttle.check()?;
        let (mut header, device_secret) = self.read_verified_header()?;
        let data_key = unwrap_counting_failures(&throttle, &header, &device_secret, current)?;
        rewrap(&mut header, &data_key, &device_secret, new)?;
        let mac_key = kdf::derive_header_mac_key(&device_secret, &header.vault_id)?;
        write_atomically(&self.files.header(), &header.to_signed_json(&mac_key)?)?;
        throttle.record_success()?;
        tracing::info!("vault passphrase changed");
        Ok(())
    }

    /// Removes the vault's files and its device secret.
    pub fn destroy(&self) -> CoreResult<()> {
        self.delete_device_secret()?;
        for path in [
            self.files.header(),
            self.files.database(),
            self.files.throttle(),
        ] {
            remove_with_sqlite_siblings(&path)?;
        }
        Ok(())
    }

    /// Deletes the vault's device secret from the keyring, which makes the
    /// vault unopenable whatever is left of its files. Only a header that
    /// verifies names the entry to delete: a swapped-in header must not make
    /// us delete another vault's secret.
    pub fn delete_device_secret(&self) -> CoreResult<()> {
        if let Ok(bytes) = std::fs::read(self.files.header())
            && let Ok((header, mac)) = HeaderBody::parse_unverified(&bytes)
            && let Ok(device_secret) = self.secrets.load(&header.vault_id)
            && let Ok(mac_key) = kdf::derive_header_mac_key(&device_secret, &header.vault_id)
            && header.verify(&mac, &mac_key).is_ok()
        {
            self.secrets.delete(&header.vault_id)?;
        }
        Ok(())
    }

    pub fn throttle(&self) -> Throttle {
        Throttle::new(self.files.throttle(), self.config.throttle)
    }

    /// Reads the header, fetches the device secret and checks the header's MAC
    /// and that it belongs to the database beside it. Writes nothing.
    fn read_verified_header(&self) -> CoreResult<(HeaderBody, DeviceSecret)> {
        let header_path = self.files.header();
        let bytes = match std::fs::read(&header_path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(CoreError::VaultMissing(self.files.directory.clone()));
            }
            Err(error) => return Err(CoreError::io(header_path)(error)),
        };
        let (header, mac) = HeaderBody::parse_unverified(&bytes)?;
        let device_secret = self.secrets.load(&header.vault_id)?;
        let mac_key = kdf::derive_header_mac_key(&device_secret, &header.vault_id)?;
        header.verify(&mac, &mac_key)?;
        let database_salt = match read_database_salt(&self.files.database()) {
            Ok(salt) => salt,
            Err(CoreError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                return Err(CoreError::VaultMissing(self.files.directory.clone()));
            }
            Err(other) => return Err(other),
        };
        if hex::encode(database_salt) != header.database_salt {
            return Err(CoreError::HeaderForeign);
        }
        Ok((header, device_secret))
    }
}

fn unwrap_with(
    header: &HeaderBody,
    device_secret: &DeviceSecret,
    passphrase: &Passphrase,
) -> CoreResult<DataKey> {
    let salt =
        hex::decode(&header.passphrase_salt).map_err(|_| CoreError::HeaderTampered("salt"))?;
    let passphrase_hash = kdf::derive_passphrase_hash(passphrase, &salt, header.argon2)?;
    let kek = kdf::derive_key_encryption_key(&passphrase_hash, device_secret, &header.vault_id)?;
    header.unwrap_data_key(&kek)
}

/// Unwraps the data key; a wrong passphrase is counted by the throttle.
fn unwrap_counting_failures(
    throttle: &Throttle,
    header: &HeaderBody,
    device_secret: &DeviceSecret,
    passphrase: &Passphrase,
) -> CoreResult<DataKey> {
    match unwrap_with(header, device_secret, passphrase) {
        Err(CoreError::WrongPassphrase) => {
            throttle.record_failure()?;
            tracing::warn!("wrong passphrase refused");
            Err(CoreError::WrongPassphrase)
        }
        other => other,
    }
}

fn rewrap(
    header: &mut HeaderBody,
    data_key: &DataKey,
    device_secret: &DeviceSecret,
    passphrase: &Passphrase,
) -> CoreResult<()> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    header.passphrase_salt = hex::encode(salt);
    let passphrase_hash = kdf::derive_passphrase_hash(passphrase, &salt, header.argon2)?;
    let kek = kdf::derive_key_encryption_key(&passphrase_hash, device_secret, &header.vault_id)?;
    header.wrap_data_key(data_key, &kek)
}

/// SQLCipher stores a random 16-byte salt as the first bytes of the file.
fn read_database_salt(path: &Path) -> CoreResult<[u8; 16]> {
    let mut salt = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(CoreError::io(path))?;
    file.read_exact(&mut salt)
        .map_err(|_| CoreError::DatabaseTampered)?;
    Ok(salt)
}

/// Removes a file and the `-wal` / `-shm` files SQLite may have left beside it.
fn remove_with_sqlite_siblings(path: &Path) -> CoreResult<()> {
    remove_if_present(path)?;
    remove_if_present(&PathBuf::from(format!("{}-wal", path.display())))?;
    remove_if_present(&PathBuf::from(format!("{}-shm", path.display())))
}

fn remove_if_present(path: &Path) -> CoreResult<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(CoreError::io(path)(error)),
    }
}

/// An unlocked vault. Dropping it, or calling [`OpenVault::close`], closes the
/// database (SQLCipher wipes its page cache) and zeroizes the data key.
#[derive(Debug)]
pub struct OpenVault {
    connection: Option<Connection>,
    database: PathBuf,
    data_key: DataKey,
    header: HeaderBody,
}

impl OpenVault {
    pub fn connection(&self) -> CoreResult<&Connection> {
        self.connection.as_ref().ok_or(CoreError::Locked)
    }

    pub fn connection_mut(&mut self) -> CoreResult<&mut Connection> {
        self.connection.as_mut().ok_or(CoreError::Locked)
    }

    pub fn vault_id(&self) -> &str {
        &self.header.vault_id
    }

    pub fn header(&self) -> &HeaderBody {
        &self.header
    }

    /// Authenticates every page of the database now (see [`crate::vault::integrity`]).
    pub fn verify_integrity(&self) -> CoreResult<()> {
        db::verify_integrity(self.connection()?)
    }

    /// Starts the whole-file check in a child process (see [`crate::vault::integrity`]).
    pub fn spawn_integrity_check(&self, command: Command) -> CoreResult<BackgroundCheck> {
        BackgroundCheck::spawn(
            command,
            &self.database,
            &self.data_key,
            &self.header.sqlcipher,
        )
    }

    /// Closes the database and wipes the key.
    pub fn close(mut self) -> CoreResult<()> {
        if let Some(connection) = self.connection.take() {
            connection
                .close()
                .map_err(|(_, error)| CoreError::from(error))?;
        }
        Ok(())
    }
}
