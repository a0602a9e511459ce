//! Tauri commands: each converts its arguments, makes one call into the core or
//! the window manager, and maps the error. No rules live here.

use kluis_core::SessionInfo;
use kluis_core::clients::{Client, ClientInput, ClientSummary};
use kluis_core::practitioner::Role;
use kluis_core::secret::Passphrase;
use kluis_core::settings::{Language, Settings};
use kluis_core::strength::PassphraseStrength;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

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
        .kluis
        .passphrase_strength(&Passphrase::new(passphrase))
}

#[tauri::command]
#[specta::specta]
pub async fn create_vault(
    app: AppHandle,
    state: State<'_, AppState>,
    request: CreateVaultRequest,
) -> AppResult<()> {
    windows::after_unlock(&app, state.create_vault(request))
}

#[tauri::command]
#[specta::specta]
pub async fn unlock(
    app: AppHandle,
    state: State<'_, AppState>,
    passphrase: String,
) -> AppResult<()> {
    windows::after_unlock(&app, state.unlock(Passphrase::new(passphrase)))
}

#[tauri::command]
#[specta::specta]
pub async fn lock(app: AppHandle) -> AppResult<()> {
    windows::lock_now(&app, windows::LockReason::User)
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
    Ok(state.kluis.session_info()?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_clients(state: State<'_, AppState>) -> AppResult<Vec<ClientSummary>> {
    Ok(state.kluis.list_clients()?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_client(state: State<'_, AppState>, id: String) -> AppResult<Client> {
    Ok(state.kluis.get_client(&id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn create_client(state: State<'_, AppState>, input: ClientInput) -> AppResult<Client> {
    Ok(state.kluis.create_client(input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_client(
    state: State<'_, AppState>,
    id: String,
    input: ClientInput,
) -> AppResult<Client> {
    Ok(state.kluis.update_client(&id, input)?)
}

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.kluis.settings()
}

#[tauri::command]
#[specta::specta]
pub async fn update_settings(
    state: State<'_, AppState>,
    settings: Settings,
) -> AppResult<Settings> {
    Ok(state.kluis.update_settings(settings)?)
}

#[tauri::command]
#[specta::specta]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    next: String,
) -> AppResult<()> {
    Ok(state
        .kluis
        .change_passphrase(&Passphrase::new(current), &Passphrase::new(next))?)
}
