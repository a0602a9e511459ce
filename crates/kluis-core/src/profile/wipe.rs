//! Erasing a profile (SPEC §7: remote wipe, and the policy's wipes).
//!
//! The order makes a kill between any two steps safe:
//! 1. the report for the store (signed by the caller while the vault was
//!    still open, or unsigned) is written beside the vault;
//! 2. the vault is locked (keys zeroized), its files are overwritten and
//!    removed, the keyring secret deleted, and every other file of the
//!    profile (settings, clipboard state, the wrong-passphrase counter)
//!    removed;
//! 3. the report is sent; once the store took it, the report goes too.
//!
//! A profile that holds a report is in the middle of a wipe: at start the
//! app finishes step 2 before anything else ([`Profile::complete_pending_wipe`])
//! and keeps sending the report until the store has it. The report holds no
//! secret and no client data: a device id, a time, a reason, the device's
//! public certificate and the store's address and CA.

use std::io::Write;
use std::path::{Path, PathBuf};

use kluis_protocol::wipe::WipeReport;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::profile::Profile;
use crate::vault::fsutil::write_atomically;

/// The report waiting for the store, in the profile directory.
pub const WIPE_REPORT_FILE: &str = "wipe-report.json";

/// What a wipe erases, in the words of its receipt.
pub const ERASED: &[&str] = &[
    "vault database",
    "vault header",
    "write-ahead log",
    "keyring secret",
    "device key",
    "drafts",
    "settings",
];

/// A wipe report and where to send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingWipeReport {
    pub store_url: String,
    /// The provider's CA, which the report's connection trusts (the device
    /// no longer has a certificate of its own to present).
    pub ca_pem: String,
    pub report: WipeReport,
    /// UTC, RFC 3339 (the receipt's time), for the first-run screen.
    pub wiped_at: String,
}

impl Profile {
    fn wipe_report_path(&self) -> PathBuf {
        self.directory.join(WIPE_REPORT_FILE)
    }

    /// Erases this profile, keeping only `report` for the store. The vault
    /// is locked first.
    pub fn wipe(&self, report: &PendingWipeReport) -> CoreResult<()> {
        std::fs::create_dir_all(&self.directory).map_err(CoreError::io(&self.directory))?;
        let bytes =
            serde_json::to_vec(report).map_err(|error| CoreError::Internal(error.to_string()))?;
        write_atomically(&self.wipe_report_path(), &bytes)?;
        self.erase_all_but_the_report()?;
        tracing::warn!("this device erased its vault");
        Ok(())
    }

    /// The report a wipe left for the store, if there is one.
    pub fn pending_wipe_report(&self) -> CoreResult<Option<PendingWipeReport>> {
        let path = self.wipe_report_path();
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|_| CoreError::Validation {
                        field: "wipe-report.json",
                        reason: "is not a wipe report",
                    })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(CoreError::io(path)(error)),
        }
    }

    /// The store has the report: the last trace of the wipe goes.
    pub fn wipe_reported(&self) -> CoreResult<()> {
        remove_file(&self.wipe_report_path())
    }

    /// At start: a wipe that was cut short (the app killed while erasing) is
    /// finished before the vault can be opened again. Returns whether one was.
    pub fn complete_pending_wipe(&self) -> CoreResult<bool> {
        if !self.wipe_report_path().exists() {
            return Ok(false);
        }
        self.erase_all_but_the_report()?;
        Ok(true)
    }

    pub(crate) fn erase_all_but_the_report(&self) -> CoreResult<()> {
        self.lock();
        // The keyring secret first, while the header that names it is whole.
        self.vault.delete_device_secret()?;
        let files = self.vault.files();
        // Overwritten before they are removed: with the keyring secret gone
        // what is left of the database is ciphertext no one can open; zeros
        // leave not even that where the file system writes in place.
        for path in [files.database(), files.header()] {
            for sibling in with_sqlite_siblings(&path) {
                overwrite_with_zeros(&sibling)?;
            }
        }
        self.vault.destroy()?;
        remove_all_but(&self.directory, &self.wipe_report_path())?;
        // The token's policy went with the profile.
        self.forget_policy();
        Ok(())
    }
}

fn with_sqlite_siblings(path: &Path) -> [PathBuf; 3] {
    [
        path.to_path_buf(),
        PathBuf::from(format!("{}-wal", path.display())),
        PathBuf::from(format!("{}-shm", path.display())),
    ]
}

fn overwrite_with_zeros(path: &Path) -> CoreResult<()> {
    let length = match std::fs::metadata(path) {
        Ok(metadata) => metadata.len(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(CoreError::io(path)(error)),
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(CoreError::io(path))?;
    let zeros = vec![0u8; 64 * 1024];
    let mut left = length;
    while left > 0 {
        let chunk = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(zeros.len());
        file.write_all(&zeros[..chunk])
            .map_err(CoreError::io(path))?;
        left -= chunk as u64;
    }
    file.sync_all().map_err(CoreError::io(path))
}

fn remove_file(path: &Path) -> CoreResult<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(CoreError::io(path)(error)),
    }
}

/// Removes everything in `directory` except `keep`.
fn remove_all_but(directory: &Path, keep: &Path) -> CoreResult<()> {
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(CoreError::io(directory)(error)),
    };
    for entry in entries {
        let path = entry.map_err(CoreError::io(directory))?.path();
        if path == keep {
            continue;
        }
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match removed {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(CoreError::io(path)(error)),
        }
    }
    Ok(())
}
