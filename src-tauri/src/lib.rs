//! The Kluis desktop app: a thin Tauri 2 shell over `kluis-core`.
#![forbid(unsafe_code)]

mod background_sync;
mod clipboard;
mod commands;
pub mod doctor;
mod error;
mod lock_triggers;
mod logind;
mod state;
mod windows;
mod wipe;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kluis_core::Profile;
use kluis_core::{KeyringDeviceSecretStore, VaultConfig};
use kluis_memory::scrub::ProcessHardening;
use tauri::Manager;

pub use error::AppError;

/// Where and how to run, from the command line and the environment.
#[derive(Debug, Clone, Default)]
pub struct LaunchOptions {
    /// `--profile DIR` or `KLUIS_PROFILE_DIR`; default: the app data dir.
    pub profile_directory: Option<PathBuf>,
    /// `--demo` or `KLUIS_DEMO=1`: a profile seeded with fictional clients.
    pub demo: bool,
    /// `KLUIS_IDLE_TIMEOUT_SECONDS`: can only shorten the idle timeout.
    pub idle_timeout_override: Option<Duration>,
    /// `KLUIS_CLIPBOARD_CLEAR_SECONDS`: can only shorten how long copied
    /// text stays on the clipboard.
    pub clipboard_clear_override: Option<Duration>,
    /// `--sync DIR` or `KLUIS_SYNC_DIR`: a device configuration IT prepared
    /// with `kluis-admin issue-device`, imported into the vault at unlock.
    pub sync_provisioning: Option<PathBuf>,
    /// `KLUIS_ENROLLMENT_TOKEN_FILE`, or `/etc/kluis/enrollment-token` when
    /// it exists: an enrollment token IT placed, so the practitioner need
    /// not paste one.
    pub enrollment_token_file: Option<PathBuf>,
    /// `KLUIS_POLICY_FILE`, or `/etc/kluis/policy.json`: the machine's
    /// managed policy (see `kluis_core::profile::policy`).
    pub policy_file: PathBuf,
}

impl LaunchOptions {
    pub fn from_environment() -> Self {
        let mut options = LaunchOptions {
            profile_directory: std::env::var_os("KLUIS_PROFILE_DIR").map(PathBuf::from),
            demo: std::env::var("KLUIS_DEMO").is_ok_and(|value| value == "1"),
            idle_timeout_override: seconds_from_environment("KLUIS_IDLE_TIMEOUT_SECONDS"),
            clipboard_clear_override: seconds_from_environment("KLUIS_CLIPBOARD_CLEAR_SECONDS"),
            sync_provisioning: std::env::var_os("KLUIS_SYNC_DIR").map(PathBuf::from),
            enrollment_token_file: std::env::var_os("KLUIS_ENROLLMENT_TOKEN_FILE")
                .map(PathBuf::from)
                .or_else(|| {
                    let placed = PathBuf::from("/etc/kluis/enrollment-token");
                    placed.exists().then_some(placed)
                }),
            policy_file: std::env::var_os("KLUIS_POLICY_FILE")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(kluis_core::profile::policy::MACHINE_POLICY_FILE)),
        };
        let mut arguments = std::env::args().skip(1);
        while let Some(argument) = arguments.next() {
            match argument.as_str() {
                "--demo" => options.demo = true,
                "--profile" => options.profile_directory = arguments.next().map(PathBuf::from),
                "--sync" => options.sync_provisioning = arguments.next().map(PathBuf::from),
                _ => {}
            }
        }
        options
    }
}

/// A whole number of seconds from the environment, if set and valid.
fn seconds_from_environment(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// The command list, shared by the app and the bindings generator.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            commands::app_status,
            commands::passphrase_strength,
            commands::create_vault,
            commands::enroll_device,
            commands::open_enrolled_vault,
            commands::unlock,
            commands::lock,
            commands::record_activity,
            commands::lock_screen_shown,
            commands::session_info,
            commands::list_clients,
            commands::get_client,
            commands::create_client,
            commands::erase_client,
            commands::refuse_erasure,
            commands::update_client,
            commands::get_settings,
            commands::managed_policy,
            commands::update_settings,
            commands::change_passphrase,
            commands::plan_consult,
            commands::get_consult,
            commands::reschedule_consult,
            commands::set_consult_status,
            commands::agenda_day,
            commands::agenda_week,
            commands::export_agenda,
            commands::export_client_record,
            commands::create_note,
            commands::get_note,
            commands::save_draft,
            commands::sign_note,
            commands::add_addendum,
            commands::discard_draft,
            commands::client_timeline,
            commands::search,
            commands::client_access_log,
            commands::verify_access_log,
            commands::set_resume_point,
            commands::resume_point,
            commands::drafts_flushed,
            commands::sync_status,
            commands::sync_now,
            commands::sync_conflicts,
            commands::resolve_sync_conflict,
            commands::text_copied,
        ])
        // The contract's constants, so that the page does not spell them again.
        .constant("ERROR_CODES", kluis_core::ErrorCode::ALL)
        .constant("FLUSH_DRAFTS_EVENT", state::FLUSH_DRAFTS_EVENT)
        .constant("EXPORT_PROGRESS_EVENT", state::EXPORT_PROGRESS_EVENT)
        // The export's progress travels as an event, not a command's value.
        .typ::<kluis_core::record::export::ExportProgress>()
}

/// Writes the TypeScript bindings for the UI.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated by tauri-specta from src-tauri; do not edit. `make bindings` rewrites it.\n// @ts-nocheck"),
            path,
        )
        .map_err(|error| error.to_string())
}

pub fn run(options: LaunchOptions, hardening: ProcessHardening) -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    tracing::info!(?hardening, "process hardening");
    // A policy IT installed that is not valid stops the app before any
    // window: running with a policy half understood would be running without.
    let machine_policy = kluis_core::profile::policy::read_policy_file(&options.policy_file)
        .map_err(|error| error.to_string())?
        .unwrap_or_default();

    let specta = specta_builder();
    tauri::Builder::default()
        .invoke_handler(specta.invoke_handler())
        .on_window_event(lock_triggers::on_window_event)
        .setup(move |app| {
            let profile_directory = match options.profile_directory.clone() {
                Some(directory) => directory,
                None => app.path().app_data_dir()?.join(if options.demo { "demo" } else { "profile" }),
            };
            tracing::info!(profile = %profile_directory.display(), demo = options.demo, "opening profile");
            let profile = Profile::open_profile(
                &profile_directory,
                VaultConfig::default(),
                Arc::new(KeyringDeviceSecretStore::default()),
            )
            .with_background_integrity_check(|| {
                std::env::current_exe().map(std::process::Command::new)
            })
            .with_machine_policy(machine_policy.clone());
            tracing::info!(policy = %profile.policy().hash(), "managed policy");
            let demo_passphrase = if options.demo {
                if kluis_core::demo::seed_demo_profile(&profile)? {
                    tracing::info!("demo profile seeded with fictional clients");
                }
                Some(kluis_core::demo::DEMO_PASSPHRASE.to_owned())
            } else {
                None
            };
            app.manage(state::AppState::new(profile, demo_passphrase, &options));
            windows::open_fresh_window(app.handle())?;
            lock_triggers::spawn_idle_watch(app.handle().clone());
            lock_triggers::spawn_logind_watch(app.handle().clone());
            background_sync::spawn(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!())
        .map_err(|error| error.to_string())
}
