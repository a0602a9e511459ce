//! Automatic locks: idle timeout, system suspend and session (screen) lock.

use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager};

use crate::state::AppState;
use crate::windows::{LockReason, lock_now};

/// How long an automatic lock waits for the page to save its open draft.
const DRAFT_FLUSH_TIMEOUT: Duration = Duration::from_millis(500);
/// The same before a suspend, where the keys must be gone within 50 ms.
const SUSPEND_DRAFT_FLUSH_TIMEOUT: Duration = Duration::from_millis(30);

/// Checks every half second whether the user has been idle too long.
pub fn spawn_idle_watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_millis(500));
        loop {
            ticker.tick().await;
            let state = app.state::<AppState>();
            if state.profile.status().unlocked && state.idle.idle_for() >= state.idle_timeout() {
                let triggered = Instant::now();
                state.flush_drafts(&app, DRAFT_FLUSH_TIMEOUT).await;
                // Saving the draft takes a moment; whoever came back meanwhile
                // keeps working.
                if state.idle.idle_for() >= state.idle_timeout()
                    && let Err(error) = lock_now(&app, LockReason::Idle, triggered)
                {
                    tracing::error!(?error, "idle lock failed");
                }
            }
        }
    });
}

/// Listens to logind on the system bus (see [`crate::logind`]). Without a
/// system bus (containers, CI) the app logs that and relies on the other
/// triggers.
pub fn spawn_logind_watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let watched = match zbus::Connection::system().await {
            Ok(connection) => crate::logind::watch(&connection, &AppLocker(app)).await,
            Err(error) => Err(error),
        };
        if let Err(error) = watched {
            tracing::warn!(%error, "logind is not reachable; suspend and screen lock will not lock the vault");
        }
    });
}

/// Locking as logind's signals need it.
struct AppLocker(AppHandle);

impl crate::logind::SessionLocker for AppLocker {
    async fn lock_before_sleep(&self) {
        // The suspend waits for this; the page gets a short moment to save
        // the draft being typed, so the keys are still wiped within the
        // SPEC's 50 ms of the signal.
        lock_for(&self.0, LockReason::Suspend, SUSPEND_DRAFT_FLUSH_TIMEOUT).await;
    }
    async fn lock_with_session(&self) {
        lock_for(&self.0, LockReason::ScreenLock, DRAFT_FLUSH_TIMEOUT).await;
    }
}

/// An automatic lock: the page first saves the draft being typed.
async fn lock_for(app: &AppHandle, reason: LockReason, flush_timeout: Duration) {
    let triggered = std::time::Instant::now();
    app.state::<AppState>()
        .flush_drafts(app, flush_timeout)
        .await;
    if let Err(error) = lock_now(app, reason, triggered) {
        tracing::error!(?error, ?reason, "automatic lock failed");
    }
}

/// Locks when a window is minimised, if the user asked for that.
pub fn on_window_event(window: &tauri::Window, event: &tauri::WindowEvent) {
    if let tauri::WindowEvent::Resized(_) = event {
        let app = window.app_handle();
        let state = app.state::<AppState>();
        if state.profile.settings().lock_on_minimize && window.is_minimized().unwrap_or(false) {
            // Window events run on the main thread, which the page needs to
            // answer the draft flush: the lock runs as a task instead.
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                lock_for(&app, LockReason::Minimize, DRAFT_FLUSH_TIMEOUT).await;
            });
        }
    }
}
