//! Automatic locks: idle timeout, system suspend and session (screen) lock.

use std::time::Duration;

use futures_util::StreamExt;
use tauri::{AppHandle, Manager};

use crate::state::AppState;
use crate::windows::{LockReason, lock_now};

/// Checks every half second whether the user has been idle too long.
pub fn spawn_idle_watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_millis(500));
        loop {
            ticker.tick().await;
            let state = app.state::<AppState>();
            if state.kluis.status().unlocked && state.idle.idle_for() >= state.idle_timeout() {
                state.flush_drafts(&app).await;
                // Saving the draft takes a moment; whoever came back meanwhile
                // keeps working.
                if state.idle.idle_for() >= state.idle_timeout()
                    && let Err(error) = lock_now(&app, LockReason::Idle)
                {
                    tracing::error!(?error, "idle lock failed");
                }
            }
        }
    });
}

/// Listens to logind on the system bus: `PrepareForSleep(true)` before suspend
/// and `Lock` on this session. Without a system bus (containers, CI) the app
/// logs that and relies on the other triggers.
pub fn spawn_logind_watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        if let Err(error) = watch_logind(&app).await {
            tracing::warn!(%error, "logind is not reachable; suspend and screen lock will not lock the vault");
        }
    });
}

async fn watch_logind(app: &AppHandle) -> zbus::Result<()> {
    let connection = zbus::Connection::system().await?;
    let manager = zbus::Proxy::new(
        &connection,
        "org.freedesktop.login1",
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
    )
    .await?;
    let mut sleeps = manager.receive_signal("PrepareForSleep").await?;
    let session_path: zbus::zvariant::OwnedObjectPath =
        match manager.call("GetSessionByPID", &(std::process::id())).await {
            Ok(path) => path,
            Err(error) => {
                tracing::info!(%error, "no logind session for this process; watching suspend only");
                zbus::zvariant::OwnedObjectPath::try_from("/org/freedesktop/login1/session/auto")?
            }
        };
    let session = zbus::Proxy::new(
        &connection,
        "org.freedesktop.login1",
        session_path,
        "org.freedesktop.login1.Session",
    )
    .await?;
    let mut locks = session.receive_signal("Lock").await?;
    tracing::info!("watching logind for suspend and screen lock");
    loop {
        tokio::select! {
            Some(message) = sleeps.next() => {
                if message.body().deserialize::<bool>().unwrap_or(true) {
                    lock_for(app, LockReason::Suspend).await;
                }
            }
            Some(_) = locks.next() => lock_for(app, LockReason::ScreenLock).await,
            else => return Ok(()),
        }
    }
}

/// An automatic lock: the page first saves the draft being typed.
async fn lock_for(app: &AppHandle, reason: LockReason) {
    app.state::<AppState>().flush_drafts(app).await;
    if let Err(error) = lock_now(app, reason) {
        tracing::error!(?error, ?reason, "automatic lock failed");
    }
}

/// Locks when a window is minimised, if the user asked for that.
pub fn on_window_event(window: &tauri::Window, event: &tauri::WindowEvent) {
    if let tauri::WindowEvent::Resized(_) = event {
        let app = window.app_handle();
        let state = app.state::<AppState>();
        if state.kluis.settings().lock_on_minimize && window.is_minimized().unwrap_or(false) {
            // Window events run on the main thread, which the page needs to
            // answer the draft flush: the lock runs as a task instead.
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                lock_for(&app, LockReason::Minimize).await;
            });
        }
    }
}
