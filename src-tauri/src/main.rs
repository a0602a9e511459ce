// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use kluis_memory::scrub::{
    ProcessHardening, ScrubbingAllocator, harden_process, restart_with_scrubbing_allocators,
    set_heap_scrubbing,
};

/// Every heap block the app frees is wiped first (see kluis_memory::scrub).
#[global_allocator]
static ALLOCATOR: ScrubbingAllocator = ScrubbingAllocator;

// `--version` answers on standard output, as IT's scripts expect.
#[allow(clippy::print_stdout)]
fn main() -> std::process::ExitCode {
    // The app starts itself as the vault's integrity checker after an unlock
    // (see kluis_core::vault::integrity); that child opens no window.
    if std::env::args().nth(1).as_deref() == Some(kluis_core::vault::integrity::CHILD_ARGUMENT) {
        return kluis_core::vault::integrity::run_child();
    }
    // IT's two questions about an installed Kluis, answered without a window.
    if std::env::args().any(|argument| argument == "--version") {
        println!("kluis {}", env!("CARGO_PKG_VERSION"));
        return std::process::ExitCode::SUCCESS;
    }
    if std::env::args().any(|argument| argument == "--doctor") {
        let healthy = kluis_app::doctor::run(&kluis_app::LaunchOptions::from_environment());
        return if healthy {
            std::process::ExitCode::SUCCESS
        } else {
            std::process::ExitCode::FAILURE
        };
    }
    let hardening = if without_memory_scrubbing() {
        set_heap_scrubbing(false);
        ProcessHardening::default()
    } else {
        // Before anything else, and before any thread: glibc and WebKit read
        // their allocator settings only at start (see kluis_memory::scrub).
        if let Some(error) = restart_with_scrubbing_allocators() {
            eprintln!("kluis: could not restart with the scrubbing allocators: {error}");
        }
        harden_process()
    };
    let options = kluis_app::LaunchOptions::from_environment();
    match kluis_app::run(options, hardening) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kluis: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The E2E's control run (`--without-memory-scrubbing`, debug builds only):
/// no allocator restart, no perturb byte, no wiping allocator, so that its
/// memory scan after lock must find copies and shows the scan able to fail.
fn without_memory_scrubbing() -> bool {
    cfg!(debug_assertions)
        && std::env::args().any(|argument| argument == "--without-memory-scrubbing")
}
