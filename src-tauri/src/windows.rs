//! Window handling. Every change between locked and unlocked opens a fresh
//! webview and destroys the old one: that ends the old web content process,
//! whose JavaScript heap still holds what the page showed (a reload or
//! navigation would keep the same process; SPEC §4).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

static WINDOW_COUNTER: AtomicU32 = AtomicU32::new(0);

#[derive(Debug, Clone, Copy)]
pub enum LockReason {
    User,
    Idle,
    Suspend,
    ScreenLock,
    Minimize,
}

/// Opens a new window on the app's page and destroys all others.
pub fn open_fresh_window(app: &AppHandle) -> tauri::Result<()> {
    let label = format!("kluis-{}", WINDOW_COUNTER.fetch_add(1, Ordering::SeqCst));
    let old_windows: Vec<_> = app.webview_windows().into_values().collect();
    let (size, position) = old_windows
        .first()
        .and_then(|window| Some((window.inner_size().ok()?, window.outer_position().ok()?)))
        .unzip();
    let scale = old_windows
        .first()
        .and_then(|window| window.scale_factor().ok())
        .unwrap_or(1.0);
    let mut builder = WebviewWindowBuilder::new(app, &label, WebviewUrl::App("index.html".into()))
        .title("Kluis")
        .min_inner_size(900.0, 600.0);
    builder = match (size, position) {
        (Some(size), Some(position)) => builder
            .inner_size(
                f64::from(size.width) / scale,
                f64::from(size.height) / scale,
            )
            .position(f64::from(position.x) / scale, f64::from(position.y) / scale),
        _ => builder.inner_size(1200.0, 800.0),
    };
    builder.build()?;
    for window in old_windows {
        window.destroy()?;
    }
    Ok(())
}

/// When the user asked for a lock, from how long ago the page says that
/// was (saving the draft and clearing the input method come first). At most
/// ten seconds back: the figure is only for the latency in the log.
pub fn requested_ago(milliseconds: u32) -> Instant {
    let ago = std::time::Duration::from_millis(u64::from(milliseconds.min(10_000)));
    let now = Instant::now();
    now.checked_sub(ago).unwrap_or(now)
}

/// After a successful create or unlock, the window that received the
/// passphrase is replaced too.
pub fn after_unlock(app: &AppHandle, result: AppResult<()>) -> AppResult<()> {
    result?;
    app.state::<AppState>().idle.record_activity();
    open_fresh_window(app).map_err(window_error)
}

/// After an enrollment the vault is open but the first-run window stays until
/// the practitioner has read the key's words; then the app opens.
pub fn open_after_enrollment(app: &AppHandle) -> AppResult<()> {
    if !app.state::<AppState>().profile.status().unlocked {
        return Err(kluis_core::CoreError::Locked.into());
    }
    after_unlock(app, Ok(()))
}

/// Locks the vault (keys wiped first), then swaps in the lock screen.
/// `triggered` is when the trigger fired (before any draft was saved), for
/// the lock latency in the log.
pub fn lock_now(app: &AppHandle, reason: LockReason, triggered: Instant) -> AppResult<()> {
    let state = app.state::<AppState>();
    let outcome = state.profile.lock();
    state.sync.forget_client();
    // After the keys: copied or selected client text leaves the clipboard,
    // and with it the copy WebKit keeps in this process.
    crate::clipboard::clear(app, crate::clipboard::Clear::ClipboardAndSelection);
    if !outcome.was_unlocked {
        return Ok(());
    }
    state.mark_lock_triggered(triggered);
    tracing::info!(
        ?reason,
        keys_zeroized_us = outcome.keys_zeroized_after.as_micros() as u64,
        trigger_to_keys_wiped_us = triggered.elapsed().as_micros() as u64,
        "locked"
    );
    open_fresh_window(app).map_err(window_error)
}

fn window_error(error: tauri::Error) -> AppError {
    AppError::from(kluis_core::CoreError::Internal(format!("window: {error}")))
}
