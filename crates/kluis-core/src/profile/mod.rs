//! The profile room: the application facade, one profile (a vault plus its
//! settings), locked or unlocked. The desktop shell calls only this; it holds
//! the session and passes each call to the room that keeps the rule.

pub mod clipboard;
pub mod contact;
pub mod policy;
pub mod settings;
pub mod wipe;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::audit::{self, AuditEvent, ChainVerification};
use crate::error::{CoreError, CoreResult};
use crate::profile::settings::{Settings, SettingsFile};
use crate::record::clients::{Client, ClientInput, ClientRepository, ClientSummary};
use crate::record::consults::{
    AgendaDay, AgendaWeek, Consult, ConsultInput, ConsultRepository, ConsultStatus,
};
use crate::record::notes::{DraftSaved, NewNote, Note, NoteRepository, NoteSection};
use crate::record::practitioner::{Practitioner, Role};
use crate::record::scope::Scope;
use crate::record::search::{self, SearchHit};
use crate::record::timeline::{self, TimelineItem, TimelineKind};
use crate::sync::{self, PendingOperation, PushSummary};
use crate::vault::integrity::{BackgroundCheck, IntegrityStatus};
use crate::vault::keystore::DeviceSecretStore;
use crate::vault::secret::Passphrase;
use crate::vault::strength::{self, PassphraseStrength};
use crate::vault::{OpenVault, UnlockTimings, Vault, VaultConfig, VaultFiles};
use kluis_protocol::{AuditEntry, PullResponse, PushResponse};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProfileStatus {
    pub vault_exists: bool,
    pub unlocked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub practitioner_name: String,
    pub role: Role,
}

/// What a lock did and how long wiping the keys took.
#[derive(Debug, Clone, Copy)]
pub struct LockOutcome {
    pub was_unlocked: bool,
    pub keys_zeroized_after: Duration,
}

struct UnlockedSession {
    /// Declared first: dropped (the child killed) before the vault closes.
    integrity: Option<BackgroundCheck>,
    vault: OpenVault,
    practitioner: Practitioner,
    /// The id the store enrolled this device as, once it is known (from the
    /// device card, or the first contact): the access log names it.
    device_id: Option<String>,
}

impl std::fmt::Debug for UnlockedSession {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("UnlockedSession(..)")
    }
}

/// Makes the command that runs the whole-file integrity check in a child
/// process (the app passes its own binary).
pub type IntegrityCheckCommand = Box<dyn Fn() -> std::io::Result<Command> + Send + Sync>;

/// One profile directory: `vault/` and `settings.json`.
pub struct Profile {
    directory: PathBuf,
    vault: Vault,
    settings: SettingsFile,
    session: Mutex<Option<UnlockedSession>>,
    integrity_check: Option<IntegrityCheckCommand>,
    /// The machine's policy file (see [`policy`]); empty without one.
    machine_policy: kluis_protocol::managed::ManagedPolicy,
    /// The policy in force, worked out once: the idle watch asks for the
    /// settings (and so the policy) twice a second. Forgotten when a layer
    /// changes.
    policy_in_force: Mutex<Option<kluis_protocol::managed::EffectivePolicy>>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Profile")
            .field("directory", &self.directory)
            .field(
                "background_integrity_check",
                &self.integrity_check.is_some(),
            )
            .finish_non_exhaustive()
    }
}

impl Profile {
    pub fn open_profile(
        directory: impl Into<PathBuf>,
        config: VaultConfig,
        secrets: Arc<dyn DeviceSecretStore>,
    ) -> Self {
        let directory = directory.into();
        let vault = Vault::new(VaultFiles::new(directory.join("vault")), config, secrets);
        let settings = SettingsFile::new(directory.join("settings.json"));
        Self {
            directory,
            vault,
            settings,
            session: Mutex::new(None),
            integrity_check: None,
            machine_policy: kluis_protocol::managed::ManagedPolicy::default(),
            policy_in_force: Mutex::new(None),
        }
    }

    /// Checks every page of the vault in a child process after each unlock,
    /// instead of before the unlock returns (see [`crate::vault::integrity`]).
    pub fn with_background_integrity_check(
        mut self,
        command: impl Fn() -> std::io::Result<Command> + Send + Sync + 'static,
    ) -> Self {
        self.integrity_check = Some(Box::new(command));
        self
    }

    pub fn directory(&self) -> &Path {
        &self.directory
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub fn status(&self) -> ProfileStatus {
        ProfileStatus {
            vault_exists: self.vault.exists(),
            unlocked: self.guard().is_some(),
        }
    }

    pub fn passphrase_strength(&self, passphrase: &Passphrase) -> PassphraseStrength {
        strength::estimate(passphrase, &["kluis"])
    }

    /// First run: makes the vault and records who owns it. Leaves it unlocked.
    pub fn create_vault(
        &self,
        passphrase: &Passphrase,
        practitioner_name: &str,
        role: Role,
    ) -> CoreResult<()> {
        self.create_vault_for(passphrase, Practitioner::new(practitioner_name, role)?)
    }

    /// First run on a device IT issued: the vault belongs to the practitioner
    /// the device was issued for (whatever name the first-run screen had),
    /// and knows its store from the start.
    pub fn create_vault_provisioned(
        &self,
        passphrase: &Passphrase,
        provisioning: &crate::sync::provisioning::DeviceProvisioning,
    ) -> CoreResult<()> {
        let practitioner = provisioning
            .practitioner
            .as_ref()
            .ok_or(CoreError::Validation {
                field: "practitioner.json",
                reason: "the device directory does not say whom it is for",
            })?
            .to_practitioner()?;
        self.create_vault_for(passphrase, practitioner)?;
        self.set_sync_identity(&provisioning.identity)
    }

    /// First run on a device that enrolled itself with IT's token: the vault
    /// is made for the practitioner the store named, and keeps the device's
    /// identity (its private key included) from the start, so the key is
    /// never in a file.
    pub fn create_vault_enrolled(
        &self,
        passphrase: &Passphrase,
        practitioner: Practitioner,
        identity: &crate::sync::SyncIdentity,
    ) -> CoreResult<()> {
        self.create_vault_for(passphrase, practitioner)?;
        self.set_sync_identity(identity)
    }

    /// After an unlock or the first run on a device IT issued: takes the
    /// device's identity from the directory IT prepared when the vault has
    /// none yet, and removes the key file from that directory. Returns
    /// whether it imported. A vault that already knows its store keeps what
    /// it has.
    pub fn connect_provisioned(&self, directory: &Path) -> CoreResult<bool> {
        use crate::sync::provisioning::DeviceProvisioning;
        let imported = if self.sync_identity()?.is_some() {
            false
        } else {
            self.set_sync_identity(&DeviceProvisioning::read(directory)?.identity)?;
            true
        };
        // From here on the key lives in the vault only.
        DeviceProvisioning::remove_key_file(directory)?;
        Ok(imported)
    }

    /// Makes the vault for a practitioner the central store already knows.
    pub fn create_vault_for(
        &self,
        passphrase: &Passphrase,
        practitioner: Practitioner,
    ) -> CoreResult<()> {
        let user_inputs: Vec<&str> = practitioner
            .display_name
            .split_whitespace()
            .chain(["kluis"])
            .collect();
        if !strength::estimate(passphrase, &user_inputs).acceptable {
            return Err(CoreError::WeakPassphrase);
        }
        let vault = self.vault.create(passphrase)?;
        practitioner.save(vault.connection()?)?;
        *self.guard() = Some(UnlockedSession {
            integrity: None,
            vault,
            practitioner,
            device_id: None,
        });
        Ok(())
    }

    pub fn unlock(&self, passphrase: &Passphrase) -> CoreResult<UnlockTimings> {
        let mut session = self.guard();
        if session.is_some() {
            return Err(CoreError::Internal("already unlocked".to_owned()));
        }
        let (vault, timings) = match self.vault.unlock_timed(passphrase) {
            Err(CoreError::WrongPassphrase) => {
                // The erasure locks the session itself.
                drop(session);
                return Err(self.after_wrong_passphrase());
            }
            other => other?,
        };
        let integrity = self.check_integrity(&vault)?;
        let practitioner = Practitioner::load_owner(vault.connection()?)?;
        *session = Some(UnlockedSession {
            integrity,
            vault,
            practitioner,
            device_id: self.device_card().map(|card| card.device_id),
        });
        tracing::info!("vault unlocked");
        Ok(timings)
    }

    /// A wrong passphrase was counted: when the policy's number is reached,
    /// the vault is erased here and now (SPEC §7).
    fn after_wrong_passphrase(&self) -> CoreError {
        let Some(limit) = self.policy().wipe_after_failed_unlocks else {
            return CoreError::WrongPassphrase;
        };
        let failures = match self.vault.throttle().state() {
            Ok(state) => state.failures,
            Err(error) => return error,
        };
        if failures < limit {
            return CoreError::WrongPassphrase;
        }
        tracing::warn!(
            failures,
            "too many wrong passphrases: erasing the vault as the policy says"
        );
        match self.wipe_locked(
            kluis_protocol::wipe::WipeReason::FailedUnlocks,
            chrono::Utc::now(),
        ) {
            Ok(()) => CoreError::WipedAfterFailedUnlocks,
            Err(error) => error,
        }
    }

    /// Authenticates every page: in a child process when one is configured,
    /// else here, before the unlock returns.
    fn check_integrity(&self, vault: &OpenVault) -> CoreResult<Option<BackgroundCheck>> {
        if let Some(make_command) = &self.integrity_check {
            let started = make_command()
                .map_err(|error| CoreError::Internal(error.to_string()))
                .and_then(|command| vault.spawn_integrity_check(command));
            match started {
                Ok(check) => return Ok(Some(check)),
                Err(error) => {
                    tracing::warn!(%error, "background integrity check unavailable; checking now");
                }
            }
        }
        vault.verify_integrity()?;
        Ok(None)
    }

    /// Waits for a background integrity check to finish and returns its
    /// verdict (`None` when the check ran during the unlock).
    pub fn wait_for_integrity_check(&self) -> CoreResult<Option<IntegrityStatus>> {
        let mut session = self.guard();
        let session = session.as_mut().ok_or(CoreError::Locked)?;
        Ok(session.integrity.as_mut().map(BackgroundCheck::wait))
    }

    /// The background check's child process, while it runs.
    pub fn integrity_check_pid(&self) -> Option<u32> {
        self.guard()
            .as_ref()
            .and_then(|session| session.integrity.as_ref())
            .and_then(BackgroundCheck::pid)
    }

    /// Closes the database and wipes the keys. Safe to call when locked.
    pub fn lock(&self) -> LockOutcome {
        let started = Instant::now();
        let taken = self.guard().take();
        let was_unlocked = taken.is_some();
        if let Some(mut session) = taken {
            // The checker holds a copy of the key: it goes first.
            if let Some(mut check) = session.integrity.take() {
                check.cancel();
            }
            if let Err(error) = session.vault.close() {
                // The connection is gone either way; the key was dropped with it.
                tracing::warn!(%error, "closing the vault reported an error");
            }
        }
        let outcome = LockOutcome {
            was_unlocked,
            keys_zeroized_after: started.elapsed(),
        };
        if was_unlocked {
            tracing::info!(
                micros = outcome.keys_zeroized_after.as_micros() as u64,
                "vault locked"
            );
        }
        outcome
    }

    pub fn change_passphrase(&self, current: &Passphrase, new: &Passphrase) -> CoreResult<()> {
        let name = self.with_session(|session| Ok(session.practitioner.display_name.clone()))?;
        let user_inputs: Vec<&str> = name.split_whitespace().chain(["kluis"]).collect();
        if !strength::estimate(new, &user_inputs).acceptable {
            return Err(CoreError::WeakPassphrase);
        }
        self.vault.change_passphrase(current, new)
    }

    /// The client's copy of their record (see [`crate::record::export`]).
    pub fn export_client(
        &self,
        client_id: &str,
    ) -> CoreResult<crate::record::export::ClientExport> {
        self.with_scope(|scope| crate::record::export::export_client(&scope, client_id))
    }

    /// Records a refused request for erasure with its reason (see
    /// [`ClientRepository::refuse_erasure`]).
    pub fn refuse_erasure(&self, client_id: &str, reason: &str) -> CoreResult<Client> {
        self.with_scope(|scope| ClientRepository::new(scope).refuse_erasure(client_id, reason))
    }

    /// Writes the client's copy of their record, JSON and PDF, into
    /// `directory` (see [`crate::record::export::write_client_export`]).
    pub fn write_client_export(
        &self,
        client_id: &str,
        language: crate::Language,
        directory: &std::path::Path,
        progress: &mut dyn FnMut(crate::record::export::ExportProgress),
    ) -> CoreResult<crate::record::export::ExportedFiles> {
        self.with_scope(|scope| {
            crate::record::export::write_client_export(
                &scope, client_id, language, directory, progress,
            )
        })
    }

    /// Erases a client from this vault (see [`crate::record::erasure`]).
    pub fn erase_client(
        &self,
        client_id: &str,
        reason: crate::record::erasure::ErasureReason,
    ) -> CoreResult<crate::record::erasure::ErasureSummary> {
        self.with_scope(|scope| crate::record::erasure::erase_client(&scope, client_id, reason))
    }

    pub fn session_info(&self) -> CoreResult<SessionInfo> {
        self.with_session(|session| {
            Ok(SessionInfo {
                practitioner_name: session.practitioner.display_name.clone(),
                role: session.practitioner.role,
            })
        })
    }

    pub fn list_clients(&self) -> CoreResult<Vec<ClientSummary>> {
        self.with_clients(|clients| clients.list())
    }

    pub fn get_client(&self, id: &str) -> CoreResult<Client> {
        self.with_clients(|clients| clients.get(id))
    }

    pub fn create_client(&self, input: ClientInput) -> CoreResult<Client> {
        self.with_clients(|clients| clients.create(input))
    }

    pub fn update_client(&self, id: &str, input: ClientInput) -> CoreResult<Client> {
        self.with_clients(|clients| clients.update(id, input))
    }

    pub fn plan_consult(&self, input: ConsultInput) -> CoreResult<Vec<Consult>> {
        self.with_scope(|scope| ConsultRepository::new(scope).plan(input))
    }

    pub fn get_consult(&self, id: &str) -> CoreResult<Consult> {
        self.with_scope(|scope| ConsultRepository::new(scope).get(id))
    }

    pub fn reschedule_consult(
        &self,
        id: &str,
        date: &str,
        time: &str,
        duration_minutes: u16,
    ) -> CoreResult<Consult> {
        self.with_scope(|scope| {
            ConsultRepository::new(scope).reschedule(id, date, time, duration_minutes)
        })
    }

    pub fn set_consult_status(&self, id: &str, status: ConsultStatus) -> CoreResult<Consult> {
        self.with_scope(|scope| ConsultRepository::new(scope).set_status(id, status))
    }

    pub fn agenda_day(&self, date: &str) -> CoreResult<AgendaDay> {
        self.with_scope(|scope| ConsultRepository::new(scope).day(date))
    }

    pub fn agenda_week(&self, date: &str) -> CoreResult<AgendaWeek> {
        self.with_scope(|scope| ConsultRepository::new(scope).week(date))
    }

    pub fn export_agenda(&self, from: &str, days: u16) -> CoreResult<String> {
        self.with_scope(|scope| ConsultRepository::new(scope).export_ical(from, days))
    }

    pub fn create_note(&self, new: NewNote) -> CoreResult<Note> {
        self.with_scope(|scope| NoteRepository::new(scope).create(new))
    }

    pub fn get_note(&self, id: &str) -> CoreResult<Note> {
        self.with_scope(|scope| NoteRepository::new(scope).get(id))
    }

    pub fn save_draft(&self, id: &str, sections: Vec<NoteSection>) -> CoreResult<DraftSaved> {
        self.with_scope(|scope| NoteRepository::new(scope).save_draft(id, sections))
    }

    pub fn sign_note(&self, id: &str) -> CoreResult<Note> {
        self.with_scope(|scope| NoteRepository::new(scope).sign(id))
    }

    pub fn add_addendum(&self, id: &str, reason: &str, text: &str) -> CoreResult<Note> {
        self.with_scope(|scope| NoteRepository::new(scope).add_addendum(id, reason, text))
    }

    pub fn discard_draft(&self, id: &str) -> CoreResult<()> {
        self.with_scope(|scope| NoteRepository::new(scope).discard_draft(id))
    }

    pub fn client_timeline(
        &self,
        client_id: &str,
        kinds: &[TimelineKind],
        limit: u32,
    ) -> CoreResult<Vec<TimelineItem>> {
        self.with_scope(|scope| timeline::for_client(&scope, client_id, kinds, limit))
    }

    pub fn search(&self, query: &str) -> CoreResult<Vec<SearchHit>> {
        self.with_scope(|scope| search::search(&scope, query))
    }

    pub fn client_access_log(&self, client_id: &str) -> CoreResult<Vec<AuditEvent>> {
        self.with_scope(|scope| audit::for_client(&scope, client_id))
    }

    pub fn verify_access_log(&self) -> CoreResult<ChainVerification> {
        self.with_scope(|scope| audit::verify(scope.connection, scope.chain_id))
    }

    /// The id the store knows this vault's practitioner by.
    pub fn practitioner_id(&self) -> CoreResult<String> {
        self.with_session(|session| Ok(session.practitioner.id.clone()))
    }

    /// The next queued changes to send to the store (see [`crate::sync`]).
    pub fn sync_next_batch(&self, limit: usize) -> CoreResult<Vec<PendingOperation>> {
        self.with_scope(|scope| sync::push::next_batch(scope.connection, limit))
    }

    pub fn sync_acknowledge(
        &self,
        batch: &[PendingOperation],
        response: &PushResponse,
    ) -> CoreResult<PushSummary> {
        self.with_scope(|scope| sync::push::acknowledge(scope.connection, batch, response))
    }

    pub fn sync_cursor(&self) -> CoreResult<u64> {
        self.with_scope(|scope| sync::pull::cursor(scope.connection))
    }

    /// The store answered `rebuild_required`: pull the feed from the start
    /// (see [`sync::rebuild`]).
    pub fn sync_start_rebuild(&self) -> CoreResult<()> {
        self.with_scope(|scope| sync::rebuild::start(scope.connection))
    }

    pub fn sync_apply_pull(&self, response: &PullResponse) -> CoreResult<u32> {
        let mut erasing = response.changes.iter().any(|change| {
            matches!(&change.payload, kluis_protocol::ChangePayload::Tombstone { target }
                if target.kind == kluis_protocol::RecordKind::Client)
        });
        self.with_scope(|scope| {
            // The last page of a rebuild may let clients go: purged after, too.
            erasing |= !response.more && sync::rebuild::in_progress(scope.connection)?;
            let applied =
                sync::pull::apply_pull(scope.connection, &scope.practitioner.id, response)?;
            if erasing {
                // After the page's commit: no page or log frame keeps the
                // erased client (see `record::erasure`).
                crate::record::erasure::purge_freed_pages(scope.connection)?;
            }
            Ok(applied)
        })
    }

    /// Stores how this device reaches the central store, inside the vault.
    pub fn set_sync_identity(&self, identity: &sync::SyncIdentity) -> CoreResult<()> {
        self.with_scope(|scope| sync::identity::set_identity(scope.connection, identity))
    }

    pub fn sync_identity(&self) -> CoreResult<Option<sync::SyncIdentity>> {
        self.with_scope(|scope| sync::identity::identity(scope.connection))
    }

    pub fn sync_audit_to_upload(&self, limit: usize) -> CoreResult<Vec<AuditEntry>> {
        self.with_scope(|scope| {
            sync::access_log::audit_to_upload(scope.connection, scope.chain_id, limit)
        })
    }

    pub fn sync_audit_uploaded(&self, seq: u64) -> CoreResult<()> {
        self.with_scope(|scope| sync::access_log::audit_uploaded(scope.connection, seq))
    }

    /// Changes waiting for the author's choice; each shown one is logged as
    /// a read.
    pub fn sync_conflicts(&self) -> CoreResult<Vec<crate::sync::conflicts::SyncConflict>> {
        self.with_scope(|scope| crate::sync::conflicts::list(&scope))
    }

    pub fn resolve_sync_conflict(
        &self,
        kind: crate::sync::outbox::RecordKind,
        record_id: &str,
        choice: crate::sync::conflicts::ConflictChoice,
    ) -> CoreResult<()> {
        self.with_scope(|scope| crate::sync::conflicts::resolve(&scope, kind, record_id, choice))
    }

    pub fn sync_conflict_count(&self) -> CoreResult<u32> {
        self.with_scope(|scope| crate::sync::conflicts::count(scope.connection))
    }

    pub fn sync_pending_count(&self) -> CoreResult<u32> {
        self.with_scope(|scope| sync::push::pending_count(scope.connection))
    }

    /// Remembers what the practitioner is working on (e.g. `note:<id>`), so
    /// that after an unlock the app opens it again; `None` forgets it.
    pub fn set_resume_point(&self, point: Option<&str>) -> CoreResult<()> {
        self.with_scope(|scope| crate::record::workspace::set_resume_point(scope.connection, point))
    }

    pub fn resume_point(&self) -> CoreResult<Option<String>> {
        self.with_scope(|scope| crate::record::workspace::resume_point(scope.connection))
    }

    /// The practitioner's settings, made at least as strict as the policy.
    pub fn settings(&self) -> Settings {
        self.settings.load().within(&self.policy())
    }

    /// Saves settings; one looser than the policy allows is refused.
    pub fn update_settings(&self, settings: Settings) -> CoreResult<Settings> {
        settings.check_against(&self.policy())?;
        self.settings.save(&settings)?;
        Ok(settings)
    }

    fn guard(&self) -> MutexGuard<'_, Option<UnlockedSession>> {
        // A panic while holding the lock must not make the vault unlockable
        // forever; the data behind it is still consistent (SQLite transactions).
        self.session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn with_session<T>(
        &self,
        action: impl FnOnce(&UnlockedSession) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let mut session = self.guard();
        let session = session.as_mut().ok_or(CoreError::Locked)?;
        // A vault the background check found altered is not used any further.
        if let Some(check) = session.integrity.as_mut()
            && check.status() == IntegrityStatus::Tampered
        {
            return Err(CoreError::DatabaseTampered);
        }
        action(session)
    }

    fn with_scope<T>(&self, action: impl FnOnce(Scope<'_>) -> CoreResult<T>) -> CoreResult<T> {
        self.with_session(|session| {
            let vault_id = session.vault.vault_id();
            action(
                Scope::new(
                    session.vault.connection()?,
                    &session.practitioner,
                    session.device_id.as_deref().unwrap_or(vault_id),
                )
                .on_chain(vault_id),
            )
        })
    }

    fn with_clients<T>(
        &self,
        action: impl FnOnce(&ClientRepository<'_>) -> CoreResult<T>,
    ) -> CoreResult<T> {
        self.with_scope(|scope| action(&ClientRepository::new(scope)))
    }
}
