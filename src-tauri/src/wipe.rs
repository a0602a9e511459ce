//! The shell's part of a remote wipe: the rules and the erasing are in
//! `kluis_sync::wipe` and `kluis_core::profile::wipe`; here the window is
//! replaced (the old web process held what the page showed) and the
//! clipboard cleared, so that the first-run screen is all that is left.

use tauri::{AppHandle, Manager};

use crate::state::AppState;

/// Carries out the wipe the store asked for, then shows the first-run screen.
pub async fn carry_out(app: &AppHandle, device_id: &str) {
    let state = app.state::<AppState>();
    // The client holds the device key: it goes before the vault does.
    state.sync.forget_client();
    match kluis_sync::wipe::carry_out(&state.profile, device_id).await {
        Ok(answer) => tracing::warn!(verified = answer.verified, "this device was wiped"),
        Err(error) => tracing::warn!(%error, "wipe: the report waits for the store"),
    }
    if state.profile.status().vault_exists {
        // Nothing was erased (locked in the meantime, say): the store still
        // asks, and the next round after an unlock tries again.
        return;
    }
    state.note_wiped(kluis_protocol::wipe::WipeReason::Remote);
    crate::clipboard::clear(app, crate::clipboard::Clear::ClipboardAndSelection);
    if let Err(error) = crate::windows::open_fresh_window(app) {
        tracing::error!(%error, "no window after the wipe");
    }
}

/// Sends the report of an earlier wipe whose answer was lost.
pub async fn send_report(app: &AppHandle) {
    let state = app.state::<AppState>();
    match kluis_sync::wipe::send_pending(&state.profile).await {
        Ok(_) => tracing::info!("the store has this device's wipe report"),
        Err(error) => tracing::info!(%error, "the wipe report waits for the store"),
    }
}
