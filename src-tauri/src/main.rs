// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use kluis_core::memory::{ScrubbingAllocator, harden_process, restart_with_scrubbing_allocators};

/// Every heap block the app frees is wiped first (see kluis_core::memory).
#[global_allocator]
static ALLOCATOR: ScrubbingAllocator = ScrubbingAllocator;

fn main() -> std::process::ExitCode {
    // The app starts itself as the vault's integrity checker after an unlock
    // (see kluis_core::integrity); that child opens no window.
    if std::env::args().nth(1).as_deref() == Some(kluis_core::integrity::CHILD_ARGUMENT) {
        return kluis_core::integrity::run_child();
    }
    // Before anything else, and before any thread: glibc and WebKit read
    // their allocator settings only at start (see kluis_core::memory).
    if let Some(error) = restart_with_scrubbing_allocators() {
        eprintln!("kluis: could not restart with the scrubbing allocators: {error}");
    }
    let hardening = harden_process();
    let options = kluis_app::LaunchOptions::from_environment();
    match kluis_app::run(options, hardening) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kluis: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
