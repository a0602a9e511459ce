// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use kluis_core::memory::{ScrubbingAllocator, harden_process};

/// Every heap block the app frees is wiped first (see kluis_core::memory).
#[global_allocator]
static ALLOCATOR: ScrubbingAllocator = ScrubbingAllocator;

fn main() -> std::process::ExitCode {
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
