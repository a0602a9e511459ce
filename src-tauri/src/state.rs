//! What the app keeps between commands: the profile, the idle clock and the
//! timing of the last lock.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kluis_core::{CoreResult, Profile};
use kluis_core::{DeviceProvisioning, EnrolledPractitioner, Passphrase};

use crate::commands::{AppStatus, CreateVaultRequest, DeviceEnrolled, EnrollDeviceRequest};
use crate::error::{AppError, AppResult};
use kluis_protocol::enrollment::EnrollmentToken;
use kluis_protocol::wipe::WipeReason;

/// The event that asks the page to save its open draft now.
pub const FLUSH_DRAFTS_EVENT: &str = "kluis://flush-drafts";
/// Carries an [`kluis_core::record::export::ExportProgress`] while a client's
/// copy of their record is being written.
pub const EXPORT_PROGRESS_EVENT: &str = "kluis://export-progress";

#[derive(Debug)]
pub struct AppState {
    /// Shared with the blocking threads that do the vault's work.
    pub profile: Arc<Profile>,
    pub demo_passphrase: Option<String>,
    pub idle: IdleClock,
    /// Developer and test override that can only shorten the idle timeout.
    pub idle_timeout_override: Option<Duration>,
    clipboard_clear_override: Option<Duration>,
    lock_triggered_at: Mutex<Option<Instant>>,
    /// Woken when the page reports that its open draft is saved.
    drafts_flushed: tokio::sync::Notify,
    pub sync: crate::background_sync::BackgroundSync,
    enrollment_token_file: Option<std::path::PathBuf>,
    /// A device enrolled whose vault could not be made yet (a passphrase the
    /// vault refused): kept, key and all, so that the next try does not
    /// need a new token. Never written anywhere.
    pending_enrollment: Mutex<Option<kluis_sync::Enrolled>>,
    /// When this device erased itself, since the app started (a wipe whose
    /// report is still waiting is known from the report instead).
    wiped: Mutex<Option<(String, WipeReason)>>,
}

impl AppState {
    pub fn new(
        profile: Profile,
        demo_passphrase: Option<String>,
        options: &crate::LaunchOptions,
    ) -> Self {
        // A wipe cut short (the app killed while erasing) is finished before
        // anything else can open the vault.
        match profile.complete_pending_wipe() {
            Ok(true) => tracing::warn!("finished erasing this device after an interrupted wipe"),
            Ok(false) => {}
            Err(error) => tracing::error!(%error, "an interrupted wipe could not be finished"),
        }
        Self {
            profile: Arc::new(profile),
            demo_passphrase,
            idle: IdleClock::default(),
            idle_timeout_override: options.idle_timeout_override,
            clipboard_clear_override: options.clipboard_clear_override,
            lock_triggered_at: Mutex::new(None),
            drafts_flushed: tokio::sync::Notify::new(),
            sync: crate::background_sync::BackgroundSync::new(options.sync_provisioning.clone()),
            enrollment_token_file: options.enrollment_token_file.clone(),
            pending_enrollment: Mutex::new(None),
            wiped: Mutex::new(None),
        }
    }

    /// Notes that this device erased itself now, and why (see
    /// [`crate::wipe`]).
    pub fn note_wiped(&self, reason: WipeReason) {
        *self
            .wiped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            reason,
        ));
    }

    pub fn app_status(&self) -> AppStatus {
        let status = self.profile.status();
        let waiting = self
            .profile
            .pending_wipe_report()
            .ok()
            .flatten()
            .map(|pending| {
                let reason = pending.report.receipt().map(|receipt| receipt.reason);
                (pending.wiped_at, reason.unwrap_or(WipeReason::Remote))
            });
        let wipe_reported = waiting.is_none();
        let wiped = waiting.or_else(|| {
            self.wiped
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone()
        });
        AppStatus {
            wipe_reported,
            wipe_reason: wiped.as_ref().map(|(_, reason)| *reason),
            wiped_at: wiped.map(|(at, _)| at),
            vault_exists: status.vault_exists,
            unlocked: status.unlocked,
            demo_passphrase: self.demo_passphrase.clone(),
            enrollment_token_placed: !status.vault_exists
                && self
                    .enrollment_token_file
                    .as_deref()
                    .is_some_and(Path::exists),
            language: self.profile.settings().language,
            enrolled_practitioner: if status.vault_exists {
                None
            } else {
                self.enrolled_practitioner()
            },
        }
    }

    /// Whom the device directory IT prepared is for, when the app was started
    /// with one and it can be read.
    fn enrolled_practitioner(&self) -> Option<EnrolledPractitioner> {
        let directory = self.sync.provisioning()?;
        match DeviceProvisioning::read_practitioner(directory) {
            Ok(practitioner) => practitioner,
            Err(error) => {
                tracing::warn!(%error, "the device directory cannot be read");
                None
            }
        }
    }

    /// Runs vault work on the blocking pool ([`kluis_sync::blocking`]): every
    /// command that touches the vault goes through here.
    pub async fn vault<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Profile) -> CoreResult<T> + Send + 'static,
    ) -> AppResult<T> {
        Ok(kluis_sync::blocking::run(&self.profile, work).await?)
    }

    pub async fn create_vault(&self, request: CreateVaultRequest) -> AppResult<()> {
        self.idle.record_activity();
        let passphrase = Passphrase::new(request.passphrase);
        // A directory IT prepared that cannot be read is an error: a vault made
        // without it would belong to a practitioner the store does not know.
        let provisioning = self
            .sync
            .provisioning()
            .map(DeviceProvisioning::read)
            .transpose()?;
        self.vault(move |profile| match provisioning {
            Some(provisioning) if provisioning.practitioner.is_some() => {
                profile.create_vault_provisioned(&passphrase, &provisioning)
            }
            _ => profile.create_vault(&passphrase, &request.practitioner_name, request.role),
        })
        .await?;
        self.connect_provisioned_device().await;
        Ok(())
    }

    pub async fn unlock(&self, passphrase: Passphrase) -> AppResult<()> {
        // Reset before the vault opens: the idle watch must never see an
        // unlocked vault with the idle time of before the lock.
        self.idle.record_activity();
        let timings = match self.vault(move |profile| profile.unlock(&passphrase)).await {
            Err(error) if error.code == kluis_core::ErrorCode::VaultWiped => {
                // The policy's number of wrong passphrases: the vault is gone,
                // and the fresh window shows the first-run screen saying so.
                self.note_wiped(WipeReason::FailedUnlocks);
                return Ok(());
            }
            other => other?,
        };
        tracing::info!(
            kdf_ms = timings.key_derivation.as_millis() as u64,
            open_ms = timings.database_open.as_millis() as u64,
            "unlock timings"
        );
        self.connect_provisioned_device().await;
        self.enroll_unlocked_vault().await;
        self.enforce_offline_grace().await
    }

    /// After the vault opened: a device past its offline grace period must
    /// reach the store before it is used (see [`kluis_sync::grace`]).
    async fn enforce_offline_grace(&self) -> AppResult<()> {
        use kluis_sync::grace::GraceOutcome;
        match kluis_sync::grace::enforce(&self.profile, chrono::Utc::now()).await {
            Ok(GraceOutcome::Within | GraceOutcome::Renewed) => Ok(()),
            Ok(GraceOutcome::Locked { days }) => {
                self.sync.forget_client();
                Err(kluis_core::CoreError::OfflineGraceExpired { days }.into())
            }
            Ok(GraceOutcome::Wiped) => {
                self.sync.forget_client();
                self.note_wiped(WipeReason::OfflineGrace);
                Ok(())
            }
            Err(error) => {
                // Whether the period ran out could not be settled: the vault
                // does not stay open on a guess.
                self.profile.lock();
                self.sync.forget_client();
                Err(error.into())
            }
        }
    }

    /// A vault without a store (the demo's, or one made before IT enrolled
    /// the device) enrolls at unlock with the code IT placed, if the code is
    /// for this vault's practitioner. The used code file is removed where
    /// the app may. Failures show as the sync state; the vault stays usable.
    async fn enroll_unlocked_vault(&self) {
        let Some(path) = self
            .enrollment_token_file
            .clone()
            .filter(|path| path.exists())
        else {
            return;
        };
        match self.enroll_with_placed_code(&path).await {
            Ok(true) => {
                if std::fs::remove_file(&path).is_err() {
                    tracing::info!("the used enrollment code could not be removed");
                }
                self.sync.wake();
            }
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(code = ?error.code, "could not enroll this device");
                self.sync.refuse(error.message);
            }
        }
    }

    async fn enroll_with_placed_code(&self, path: &Path) -> AppResult<bool> {
        let (identity, practitioner) = self
            .vault(|profile| Ok((profile.sync_identity()?, profile.practitioner_id()?)))
            .await?;
        if identity.is_some() {
            return Ok(false);
        }
        let token = read_token_file(path)?;
        self.profile
            .check_store_allowed(&token.store_url, &token.ca_fingerprint)?;
        let enrolled = kluis_sync::enroll(&token).await?;
        if enrolled.practitioner_id != practitioner {
            return Err(kluis_core::CoreError::PermissionDenied(
                "the enrollment code is for another practitioner",
            )
            .into());
        }
        let words = enrolled.key_words.clone();
        let policy = token.policy.clone();
        self.vault(move |profile| {
            if let Some(policy) = &policy {
                profile.save_enrollment_policy(policy)?;
            }
            profile.set_sync_identity(&enrolled.identity)?;
            // Enrolling is a contact: the access log names the device from here.
            profile.note_store_contact(&token.device_id, chrono::Utc::now())
        })
        .await?;
        tracing::info!(key_words = %words, "this device enrolled with the central store");
        Ok(true)
    }

    /// First run with IT's enrollment token (pasted, or the file IT placed):
    /// the passphrase is checked before the token is spent, the device
    /// enrolls (its key made here), and the vault is made for the
    /// practitioner the store names, holding the key. The vault is open
    /// afterwards; the page shows the key's words before it goes on.
    pub async fn enroll_device(&self, request: EnrollDeviceRequest) -> AppResult<DeviceEnrolled> {
        self.idle.record_activity();
        let token = match request.token {
            Some(text) if !text.trim().is_empty() => decode_token(&text)?,
            _ => self.placed_enrollment_token()?,
        };
        let passphrase = Passphrase::new(request.passphrase);
        if !self.profile.passphrase_strength(&passphrase).acceptable {
            return Err(kluis_core::CoreError::WeakPassphrase.into());
        }
        self.profile
            .check_store_allowed(&token.store_url, &token.ca_fingerprint)?;
        let pending = self
            .pending_enrollment
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .filter(|enrolled| {
                enrolled.identity.server_url == token.store_url.trim_end_matches('/')
            });
        let enrolled = match pending {
            Some(enrolled) => enrolled,
            None => kluis_sync::enroll(&token).await?,
        };
        let policy = token.policy.clone();
        let device_id = token.device_id.clone();
        let (made, enrolled) = kluis_sync::blocking::run(&self.profile, move |profile| {
            if let Some(policy) = &policy
                && let Err(error) = profile.save_enrollment_policy(policy)
            {
                return (Err(error), enrolled);
            }
            let made = kluis_core::Practitioner::with_id(
                &enrolled.practitioner_id,
                &enrolled.practitioner_name,
                enrolled.role,
            )
            .and_then(|practitioner| {
                profile.create_vault_enrolled(&passphrase, practitioner, &enrolled.identity)
            })
            .map(|()| {
                // Enrolling is a contact: the access log names the device from
                // here. Without the card the first sync round writes it.
                if let Err(error) = profile.note_store_contact(&device_id, chrono::Utc::now()) {
                    tracing::warn!(%error, "the device card waits for the first round");
                }
            });
            (made, enrolled)
        })
        .await;
        if let Err(error) = made {
            *self
                .pending_enrollment
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(enrolled);
            return Err(error.into());
        }
        tracing::info!(key_words = %enrolled.key_words, "this device enrolled with the central store");
        Ok(DeviceEnrolled {
            practitioner_name: enrolled.practitioner_name.clone(),
            role: enrolled.role,
            key_words: enrolled.key_words.clone(),
        })
    }

    fn placed_enrollment_token(&self) -> AppResult<EnrollmentToken> {
        let path = self.enrollment_token_file.as_deref().ok_or_else(|| {
            AppError::invalid_token("no token was pasted and none was placed by IT")
        })?;
        read_token_file(path)
    }

    /// A device IT issued learns its store from the directory IT prepared at
    /// the first unlock that finds the vault without one, not in the middle
    /// of a sync round; the key file in that directory is removed once the
    /// vault holds the key. A directory that cannot be read is shown as the sync
    /// state, and the vault stays usable offline.
    async fn connect_provisioned_device(&self) {
        let Some(directory) = self.sync.provisioning().map(Path::to_path_buf) else {
            return;
        };
        match kluis_sync::blocking::run(&self.profile, move |profile| {
            profile.connect_provisioned(&directory)
        })
        .await
        {
            Ok(true) => tracing::info!("connected this device to the central store"),
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(%error, "could not import the sync configuration");
                self.sync.refuse(error.to_string());
            }
        }
    }

    /// The idle timeout in force: the user's setting, shortened by the override.
    pub fn idle_timeout(&self) -> Duration {
        let configured =
            Duration::from_secs(u64::from(self.profile.settings().idle_timeout_seconds));
        shortened(configured, self.idle_timeout_override)
    }

    /// How long copied text stays on the clipboard: the policy's delay,
    /// shortened by the override.
    pub fn clipboard_clear_after(&self) -> Duration {
        shortened(
            self.profile.clipboard_clear_after(),
            self.clipboard_clear_override,
        )
    }

    /// Asks the page to save the draft being typed and waits until it says so,
    /// at most `timeout`: an automatic lock must not lose the sentence being
    /// written (SPEC §4), nor wait long for a page that hangs.
    pub async fn flush_drafts(&self, app: &tauri::AppHandle, timeout: Duration) {
        use tauri::Emitter;
        let notified = self.drafts_flushed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if let Err(error) = app.emit(FLUSH_DRAFTS_EVENT, ()) {
            tracing::warn!(%error, "could not ask the page to save its draft");
            return;
        }
        let started = Instant::now();
        match tokio::time::timeout(timeout, notified).await {
            Ok(()) => tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                "draft saved before lock"
            ),
            Err(_) => tracing::warn!("the page did not confirm its draft before the lock"),
        }
    }

    pub fn drafts_flushed(&self) {
        self.drafts_flushed.notify_waiters();
    }

    /// Writes a client's copy of their record (JSON and PDF, in the
    /// interface's language) to the download folder, telling the page how
    /// far it is.
    pub async fn export_client_record(
        &self,
        app: &tauri::AppHandle,
        client_id: String,
    ) -> AppResult<kluis_core::record::export::ExportedFiles> {
        use tauri::Emitter;
        let directory = download_directory(app)?;
        let app = app.clone();
        self.vault(move |profile| {
            let language = profile.settings().language;
            profile.write_client_export(&client_id, language, &directory, &mut |step| {
                if let Err(error) = app.emit(EXPORT_PROGRESS_EVENT, step) {
                    tracing::warn!(%error, "could not report the export's progress");
                }
            })
        })
        .await
    }

    /// Writes the agenda's iCalendar export to the download folder.
    pub async fn export_agenda(
        &self,
        app: &tauri::AppHandle,
        from: String,
        days: u16,
    ) -> AppResult<String> {
        let calendar = self
            .vault({
                let from = from.clone();
                move |profile| profile.export_agenda(&from, days)
            })
            .await?;
        let directory = download_directory(app)?;
        let path = directory.join(format!("kluis-agenda-{from}.ics"));
        kluis_core::vault::fsutil::write_atomically(&path, calendar.as_bytes())?;
        Ok(path.display().to_string())
    }

    pub fn mark_lock_triggered(&self, at: Instant) {
        *self
            .lock_triggered_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(at);
    }

    /// The new lock screen reports that it is on screen; logged for the lock
    /// latency benchmark (trigger → lock screen shown).
    pub fn report_lock_screen_shown(&self) {
        if let Some(triggered) = self
            .lock_triggered_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            tracing::info!(
                ms = triggered.elapsed().as_millis() as u64,
                "lock screen shown after trigger"
            );
        }
    }
}

fn decode_token(text: &str) -> AppResult<EnrollmentToken> {
    EnrollmentToken::decode(text).map_err(AppError::invalid_token)
}

/// The enrollment token IT placed in a file.
fn read_token_file(path: &Path) -> AppResult<EnrollmentToken> {
    let text = std::fs::read_to_string(path).map_err(|source| kluis_core::CoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    decode_token(&text)
}

/// `configured`, or the override where that is shorter: a developer or test
/// override never lengthens a security delay.
fn shortened(configured: Duration, override_value: Option<Duration>) -> Duration {
    override_value.map_or(configured, |shorter| shorter.min(configured))
}

/// When the user last did something in the app.
#[derive(Debug)]
pub struct IdleClock {
    last_activity: Mutex<Instant>,
}

impl Default for IdleClock {
    fn default() -> Self {
        Self {
            last_activity: Mutex::new(Instant::now()),
        }
    }
}

impl IdleClock {
    pub fn record_activity(&self) {
        *self
            .last_activity
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
    }

    pub fn idle_for(&self) -> Duration {
        self.last_activity
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .elapsed()
    }
}

/// The user's download folder (their home when there is none), where exports
/// are written.
fn download_directory(app: &tauri::AppHandle) -> AppResult<std::path::PathBuf> {
    use tauri::Manager;
    Ok(app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|error| kluis_core::CoreError::Internal(format!("no download folder: {error}")))?)
}
