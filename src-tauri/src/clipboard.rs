//! Clears text copied from Kluis off the system clipboard: at lock, and
//! [`kluis_core::profile::clipboard::CLEAR_AFTER`] after a copy (SPEC §4).
//!
//! WebKitGTK writes a copy to this process's GtkClipboard, and a selection to
//! the PRIMARY selection (X11's middle-click paste). While this process owns
//! either, what it holds came from Kluis; once another program copies, the
//! ownership moves there and clearing does nothing. So nothing here reads the
//! clipboard: it gives up what it owns, which also frees WebKit's copy of the
//! text in this process.

use std::time::Duration;

use tauri::AppHandle;

/// Which selections to give up.
#[derive(Debug, Clone, Copy)]
pub enum Clear {
    /// The clipboard only: the delay after a copy ran out.
    Clipboard,
    /// The clipboard and the selection: the vault locks.
    ClipboardAndSelection,
}

/// The page placed text on the clipboard: clear it after the delay, if Kluis
/// still owns it then.
pub fn text_copied(app: &AppHandle, delay: Duration) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(delay).await;
        clear(&app, Clear::Clipboard);
    });
}

/// Gives up the selections this process owns. Waits for the main thread (at
/// most a second), so it must not be called on it.
pub fn clear(app: &AppHandle, what: Clear) {
    let (sender, receiver) = std::sync::mpsc::channel();
    let scheduled = app.run_on_main_thread(move || {
        let _ = sender.send(clear_on_main_thread(what));
    });
    let outcome = match scheduled {
        Ok(()) => receiver.recv_timeout(Duration::from_secs(1)).ok(),
        Err(_) => None,
    };
    match outcome {
        Some(Some(0)) => {}
        Some(Some(cleared)) => {
            tracing::info!(cleared, ?what, "cleared what Kluis put on the clipboard")
        }
        Some(None) => tracing::warn!("this platform's clipboard cannot be cleared by Kluis"),
        None => tracing::warn!("the clipboard could not be cleared"),
    }
}

/// How many selections were given up; `None` where Kluis cannot tell whose
/// the clipboard is.
#[cfg(target_os = "linux")]
fn clear_on_main_thread(what: Clear) -> Option<usize> {
    use gtk::gdk::{SELECTION_CLIPBOARD, SELECTION_PRIMARY, WindowType};
    let selections: &[gtk::gdk::Atom] = match what {
        Clear::Clipboard => &[SELECTION_CLIPBOARD],
        Clear::ClipboardAndSelection => &[SELECTION_CLIPBOARD, SELECTION_PRIMARY],
    };
    let display = gtk::gdk::Display::default()?;
    let mut cleared = 0;
    for selection in selections {
        // GDK answers with a "foreign" window for another program's owner:
        // only a window of this process means the text is Kluis's.
        let ours = gtk::gdk::selection_owner_get_for_display(&display, selection)
            .is_some_and(|owner| owner.window_type() != WindowType::Foreign);
        if ours {
            // No owner at all from now on; GTK tells WebKit, which frees its
            // copy of the text.
            gtk::selection_owner_set_for_display(
                &display,
                None::<&gtk::Widget>,
                selection,
                // GDK_CURRENT_TIME.
                0,
            );
            cleared += 1;
        }
    }
    Some(cleared)
}

#[cfg(not(target_os = "linux"))]
fn clear_on_main_thread(_what: Clear) -> Option<usize> {
    None
}
