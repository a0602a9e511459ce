//! Checking every page of the vault without holding up the unlock.
//!
//! SQLCipher's `cipher_integrity_check` authenticates every page, including
//! pages nothing reads (a flipped byte there would otherwise go unnoticed until
//! some query touches it). It costs about 1.3 ms per MiB: 0.7 s for the 520 MiB
//! of a 100,000-note vault. It cannot be interrupted, and it needs the key.
//!
//! So, in the app, it runs in a child process: the app's own binary started
//! with [`CHILD_ARGUMENT`]. The key reaches the child through a pipe, the
//! verdict comes back as its exit status, and a lock kills the child, so no
//! copy of the key outlives the lock in any process. Until the child reports,
//! pages are still authenticated one by one whenever they are read.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};

use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};
use crate::vault::db;
use crate::vault::header::SqlcipherSettings;
use crate::vault::secret::DataKey;

/// The argument that turns the app's binary into the integrity checker.
pub const CHILD_ARGUMENT: &str = "--check-vault-integrity";

const EXIT_INTACT: u8 = 0;
const EXIT_TAMPERED: u8 = 3;
const EXIT_FAILED: u8 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrityStatus {
    Running,
    Intact,
    Tampered,
    /// The check could not run to the end (not a verdict on the vault).
    Failed,
}

/// A running (or finished) check in a child process. Dropping it kills the
/// child and reaps it.
#[derive(Debug)]
pub struct BackgroundCheck {
    child: Option<Child>,
    status: IntegrityStatus,
}

impl BackgroundCheck {
    /// Starts `command` with [`CHILD_ARGUMENT`] and hands it the database path,
    /// the key and the SQLCipher settings on its standard input.
    pub fn spawn(
        mut command: Command,
        database: &Path,
        data_key: &DataKey,
        settings: &SqlcipherSettings,
    ) -> CoreResult<Self> {
        let database = database.to_str().ok_or(CoreError::Internal(
            "the vault path is not UTF-8".to_owned(),
        ))?;
        let settings = serde_json::to_string(settings)
            .map_err(|error| CoreError::Internal(error.to_string()))?;
        let mut request = Zeroizing::new(String::with_capacity(database.len() + 256));
        request.push_str(database);
        request.push('\n');
        request.push_str(&data_key.expose_secret_hex());
        request.push('\n');
        request.push_str(&settings);
        request.push('\n');

        let mut child = command
            .arg(CHILD_ARGUMENT)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| {
                CoreError::Internal(format!("starting the integrity check: {error}"))
            })?;
        let written = child
            .stdin
            .take()
            .ok_or(CoreError::Internal(
                "no pipe to the integrity check".to_owned(),
            ))
            .and_then(|mut stdin| {
                stdin
                    .write_all(request.as_bytes())
                    .map_err(|error| CoreError::Internal(format!("integrity check pipe: {error}")))
            });
        let mut check = Self {
            child: Some(child),
            status: IntegrityStatus::Running,
        };
        if let Err(error) = written {
            check.cancel();
            return Err(error);
        }
        Ok(check)
    }

    /// The child's process id while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The verdict so far; asks the child without waiting for it.
    pub fn status(&mut self) -> IntegrityStatus {
        if let Some(child) = self.child.as_mut() {
            match child.try_wait() {
                Ok(None) => return IntegrityStatus::Running,
                Ok(Some(exit)) => {
                    self.status = match exit.code().and_then(|code| u8::try_from(code).ok()) {
                        Some(EXIT_INTACT) => IntegrityStatus::Intact,
                        Some(EXIT_TAMPERED) => IntegrityStatus::Tampered,
                        _ => IntegrityStatus::Failed,
                    };
                    tracing::info!(status = ?self.status, "background integrity check finished");
                }
                Err(error) => {
                    tracing::warn!(%error, "the integrity check could not be asked");
                    self.status = IntegrityStatus::Failed;
                }
            }
            self.child = None;
        }
        self.status
    }

    /// Waits until the child has finished (tests, and shutting down cleanly).
    pub fn wait(&mut self) -> IntegrityStatus {
        if let Some(child) = self.child.as_mut()
            && let Err(error) = child.wait()
        {
            tracing::warn!(%error, "waiting for the integrity check failed");
        }
        self.status()
    }

    /// Kills the child if it still runs and reaps it.
    pub fn cancel(&mut self) {
        if let Some(mut child) = self.child.take() {
            // The child may just have exited; killing it then is harmless.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for BackgroundCheck {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The child's side: reads the request from standard input, checks every
/// page and exits 0 (intact), 3 (tampered) or 4 (could not check).
pub fn run_child() -> ExitCode {
    kluis_memory::scrub::harden_process();
    match check_from_stdin() {
        Ok(()) => ExitCode::from(EXIT_INTACT),
        Err(CoreError::DatabaseTampered) => ExitCode::from(EXIT_TAMPERED),
        Err(error) => {
            tracing::warn!(%error, "integrity check failed to run");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

fn check_from_stdin() -> CoreResult<()> {
    let mut input = Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|error| CoreError::Internal(format!("reading the request: {error}")))?;
    let mut lines = input.lines();
    let bad_request = || CoreError::Internal("malformed integrity check request".to_owned());
    let database = PathBuf::from(lines.next().ok_or_else(bad_request)?);
    let key_hex = lines.next().ok_or_else(bad_request)?;
    let settings: SqlcipherSettings =
        serde_json::from_str(lines.next().ok_or_else(bad_request)?).map_err(|_| bad_request())?;
    let mut key_bytes = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(key_hex, key_bytes.as_mut_slice()).map_err(|_| bad_request())?;
    let data_key = DataKey::from_bytes_wiping(&mut key_bytes);
    let connection = db::open_encrypted(&database, &data_key, &settings, false)?;
    db::verify_integrity(&connection)
}
