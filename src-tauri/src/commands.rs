//! Tauri commands: each converts its arguments, makes one call into the core or
//! the window manager, and maps the error. No rules live here.

use kluis_core::{
    AgendaDay, AgendaWeek, AuditEvent, ChainVerification, Client, ClientInput, ClientSummary,
    ConflictChoice, Consult, ConsultInput, ConsultStatus, DraftSaved, EnrolledPractitioner,
    Language, NewNote, Note, NoteSection, Passphrase, PassphraseStrength, RecordKind, Role,
    SearchHit, SessionInfo, Settings, SyncConflict, TimelineItem, TimelineKind,
    record::erasure::ErasureSummary,
};
use kluis_protocol::managed::EffectivePolicy;
use kluis_protocol::wipe::WipeReason;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use crate::background_sync::SyncStatus;
use crate::error::AppResult;
use crate::state::AppState;
use crate::windows;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub vault_exists: bool,
    pub unlocked: bool,
    /// Only for the demo profile, whose data is fictional.
    pub demo_passphrase: Option<String>,
    pub language: Language,
    /// Before the first run on a device IT issued: whom it is for. The vault
    /// is made for this practitioner; the first-run screen asks only for a
    /// passphrase.
    pub enrolled_practitioner: Option<EnrolledPractitioner>,
    /// Before the first run: IT placed an enrollment token on this machine,
    /// so the first-run screen need not ask for one.
    pub enrollment_token_placed: bool,
    /// IT had this device erased (UTC, RFC 3339): the first-run screen says
    /// so. Until the store has the device's receipt, `wipe_reported` is false.
    pub wiped_at: Option<String>,
    pub wipe_reason: Option<WipeReason>,
    pub wipe_reported: bool,
}

#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnrollDeviceRequest {
    /// The token as pasted; `None` or empty: the one IT placed.
    pub token: Option<String>,
    pub passphrase: String,
}

impl std::fmt::Debug for EnrollDeviceRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("EnrollDeviceRequest(..)")
    }
}

/// Whom the enrolled device is for, and the words of its key to read to IT.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeviceEnrolled {
    pub practitioner_name: String,
    pub role: Role,
    pub key_words: String,
}

#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CreateVaultRequest {
    pub passphrase: String,
    pub practitioner_name: String,
    pub role: Role,
}

impl std::fmt::Debug for CreateVaultRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("CreateVaultRequest(..)")
    }
}

#[tauri::command]
#[specta::specta]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    state.app_status()
}

#[tauri::command]
#[specta::specta]
pub fn passphrase_strength(state: State<'_, AppState>, passphrase: String) -> PassphraseStrength {
    state
        .profile
        .passphrase_strength(&Passphrase::new(passphrase))
}

#[tauri::command]
#[specta::specta]
pub async fn create_vault(
    app: AppHandle,
    state: State<'_, AppState>,
    request: CreateVaultRequest,
) -> AppResult<()> {
    windows::after_unlock(&app, state.create_vault(request).await)
}

#[tauri::command]
#[specta::specta]
pub async fn enroll_device(
    state: State<'_, AppState>,
    request: EnrollDeviceRequest,
) -> AppResult<DeviceEnrolled> {
    state.enroll_device(request).await
}

/// After the page showed the enrolled device's key words: into the app.
#[tauri::command]
#[specta::specta]
pub async fn open_enrolled_vault(app: AppHandle) -> AppResult<()> {
    windows::open_after_enrollment(&app)
}

#[tauri::command]
#[specta::specta]
pub async fn unlock(
    app: AppHandle,
    state: State<'_, AppState>,
    passphrase: String,
) -> AppResult<()> {
    windows::after_unlock(&app, state.unlock(Passphrase::new(passphrase)).await)
}

#[tauri::command]
#[specta::specta]
pub async fn lock(app: AppHandle, requested_ms_ago: u32) -> AppResult<()> {
    windows::lock_now(
        &app,
        windows::LockReason::User,
        windows::requested_ago(requested_ms_ago),
    )
}

#[tauri::command]
#[specta::specta]
pub fn record_activity(state: State<'_, AppState>) {
    state.idle.record_activity();
}

#[tauri::command]
#[specta::specta]
pub fn lock_screen_shown(state: State<'_, AppState>) {
    state.report_lock_screen_shown();
}

#[tauri::command]
#[specta::specta]
pub async fn session_info(state: State<'_, AppState>) -> AppResult<SessionInfo> {
    state.vault(move |profile| profile.session_info()).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_clients(state: State<'_, AppState>) -> AppResult<Vec<ClientSummary>> {
    state.vault(move |profile| profile.list_clients()).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_client(state: State<'_, AppState>, id: String) -> AppResult<Client> {
    state.vault(move |profile| profile.get_client(&id)).await
}

/// Erases a client from this vault and, at the next round, everywhere (AVG
/// art. 17; see `kluis_core::record::erasure`).
#[tauri::command]
#[specta::specta]
pub async fn erase_client(
    state: State<'_, AppState>,
    id: String,
    reason: kluis_core::record::erasure::ErasureReason,
) -> AppResult<ErasureSummary> {
    let erased = state
        .vault(move |profile| profile.erase_client(&id, reason))
        .await;
    state.sync.wake();
    erased
}

/// Records that a request to erase the client was refused, with the reason
/// (the privacy statement allows it); the client's privacy log keeps it.
#[tauri::command]
#[specta::specta]
pub async fn refuse_erasure(
    state: State<'_, AppState>,
    id: String,
    reason: String,
) -> AppResult<Client> {
    let refused = state
        .vault(move |profile| profile.refuse_erasure(&id, &reason))
        .await;
    state.sync.wake();
    refused
}

#[tauri::command]
#[specta::specta]
pub async fn create_client(state: State<'_, AppState>, input: ClientInput) -> AppResult<Client> {
    state
        .vault(move |profile| profile.create_client(input))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn update_client(
    state: State<'_, AppState>,
    id: String,
    input: ClientInput,
) -> AppResult<Client> {
    state
        .vault(move |profile| profile.update_client(&id, input))
        .await
}

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.profile.settings()
}

/// The managed policy in force, for the settings screen to mark what IT fixes.
#[tauri::command]
#[specta::specta]
pub fn managed_policy(state: State<'_, AppState>) -> EffectivePolicy {
    state.profile.policy()
}

#[tauri::command]
#[specta::specta]
pub async fn update_settings(
    state: State<'_, AppState>,
    settings: Settings,
) -> AppResult<Settings> {
    state
        .vault(move |profile| profile.update_settings(settings))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    next: String,
) -> AppResult<()> {
    state
        .vault(move |profile| {
            profile.change_passphrase(&Passphrase::new(current), &Passphrase::new(next))
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn plan_consult(
    state: State<'_, AppState>,
    input: ConsultInput,
) -> AppResult<Vec<Consult>> {
    state
        .vault(move |profile| profile.plan_consult(input))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_consult(state: State<'_, AppState>, id: String) -> AppResult<Consult> {
    state.vault(move |profile| profile.get_consult(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn reschedule_consult(
    state: State<'_, AppState>,
    id: String,
    date: String,
    time: String,
    duration_minutes: u16,
) -> AppResult<Consult> {
    state
        .vault(move |profile| profile.reschedule_consult(&id, &date, &time, duration_minutes))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_consult_status(
    state: State<'_, AppState>,
    id: String,
    status: ConsultStatus,
) -> AppResult<Consult> {
    state
        .vault(move |profile| profile.set_consult_status(&id, status))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn agenda_day(state: State<'_, AppState>, date: String) -> AppResult<AgendaDay> {
    state.vault(move |profile| profile.agenda_day(&date)).await
}

#[tauri::command]
#[specta::specta]
pub async fn agenda_week(state: State<'_, AppState>, date: String) -> AppResult<AgendaWeek> {
    state.vault(move |profile| profile.agenda_week(&date)).await
}

/// Writes a client's copy of their record (JSON and PDF) to the download
/// folder; progress arrives as `EXPORT_PROGRESS_EVENT`.
#[tauri::command]
#[specta::specta]
pub async fn export_client_record(
    app: AppHandle,
    state: State<'_, AppState>,
    client_id: String,
) -> AppResult<kluis_core::record::export::ExportedFiles> {
    state.export_client_record(&app, client_id).await
}

/// Writes the iCalendar export to the user's download folder and returns its path.
#[tauri::command]
#[specta::specta]
pub async fn export_agenda(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    days: u16,
) -> AppResult<String> {
    state.export_agenda(&app, from, days).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_note(state: State<'_, AppState>, note: NewNote) -> AppResult<Note> {
    state.vault(move |profile| profile.create_note(note)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_note(state: State<'_, AppState>, id: String) -> AppResult<Note> {
    state.vault(move |profile| profile.get_note(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: String,
    sections: Vec<NoteSection>,
) -> AppResult<DraftSaved> {
    state
        .vault(move |profile| profile.save_draft(&id, sections))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn sign_note(state: State<'_, AppState>, id: String) -> AppResult<Note> {
    state.vault(move |profile| profile.sign_note(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_addendum(
    state: State<'_, AppState>,
    id: String,
    reason: String,
    text: String,
) -> AppResult<Note> {
    state
        .vault(move |profile| profile.add_addendum(&id, &reason, &text))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn discard_draft(state: State<'_, AppState>, id: String) -> AppResult<()> {
    state.vault(move |profile| profile.discard_draft(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn client_timeline(
    state: State<'_, AppState>,
    client_id: String,
    kinds: Vec<TimelineKind>,
    limit: u32,
) -> AppResult<Vec<TimelineItem>> {
    state
        .vault(move |profile| profile.client_timeline(&client_id, &kinds, limit))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, query: String) -> AppResult<Vec<SearchHit>> {
    state.vault(move |profile| profile.search(&query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn client_access_log(
    state: State<'_, AppState>,
    client_id: String,
) -> AppResult<Vec<AuditEvent>> {
    state
        .vault(move |profile| profile.client_access_log(&client_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn verify_access_log(state: State<'_, AppState>) -> AppResult<ChainVerification> {
    state
        .vault(move |profile| profile.verify_access_log())
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_resume_point(state: State<'_, AppState>, point: Option<String>) -> AppResult<()> {
    state
        .vault(move |profile| profile.set_resume_point(point.as_deref()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn resume_point(state: State<'_, AppState>) -> AppResult<Option<String>> {
    state.vault(move |profile| profile.resume_point()).await
}

/// The page saved its open draft after a `kluis://flush-drafts` event.
#[tauri::command]
#[specta::specta]
pub fn drafts_flushed(state: State<'_, AppState>) {
    state.drafts_flushed();
}

#[tauri::command]
#[specta::specta]
pub fn sync_status(state: State<'_, AppState>) -> SyncStatus {
    state.sync.status()
}

#[tauri::command]
#[specta::specta]
pub fn sync_now(state: State<'_, AppState>) {
    state.sync.wake();
}

#[tauri::command]
#[specta::specta]
pub async fn sync_conflicts(state: State<'_, AppState>) -> AppResult<Vec<SyncConflict>> {
    state.vault(move |profile| profile.sync_conflicts()).await
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_sync_conflict(
    state: State<'_, AppState>,
    kind: RecordKind,
    record_id: String,
    choice: ConflictChoice,
) -> AppResult<()> {
    state
        .vault(move |profile| profile.resolve_sync_conflict(kind, &record_id, choice))
        .await?;
    state.sync.wake();
    Ok(())
}

/// The page placed text on the clipboard (it does not send the text).
#[tauri::command]
#[specta::specta]
pub fn text_copied(app: AppHandle, state: State<'_, AppState>) {
    crate::clipboard::text_copied(&app, state.clipboard_clear_after());
}
