//! A crash drill for sync: unlocks a vault, then writes and syncs in a loop
//! until it is killed. The kill test (`tests/it.rs`) SIGKILLs it at random
//! moments and checks that nothing written was lost and nothing duplicated.
//! The passphrase comes on standard input.
//!
//!     kluis-sync-drill PROFILE_DIR SERVER_URL CA.pem DEVICE.pem DEVICE.key.pem CLIENT_ID
//!
//! It reports on standard output, one flushed line at a time:
//!
//! - `phase P` as it enters a step, P one of `unlock`, `write`, `check`,
//!   `push`, `pull`, `audit` (so the test knows where a kill landed);
//! - `wrote ROUND NOTE_ID signed|draft` once the round's note is committed in
//!   the vault (its text is `Ronde ROUND: korte aantekening.`);
//! - `round ROUND NOTE_ID synced` once `sync_once` returned Ok for the round
//!   (the note is then on the store), or `round ROUND NOTE_ID unsynced "ERROR"`.
//!
//! A line is printed only after what it claims has happened.
// Reporting on standard output is its whole job.
#![allow(clippy::print_stdout)]

use std::io::{Read, Write};
use std::sync::Arc;

use kluis_core::Profile;
use kluis_core::{
    KdfPolicy, KeyringDeviceSecretStore, NewNote, NoteSection, NoteTemplate, Passphrase,
    VaultConfig, Visibility,
};
use kluis_sync::{SyncClient, SyncConfig, SyncPhase, sync_once_observed};
use zeroize::Zeroizing;

/// The keyring service the drill's vaults use (the test's, not the app's).
const KEYRING_SERVICE: &str = "nl.kluis.test-sync";

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kluis-sync-drill: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Prints one line and flushes it, so that a SIGKILL right after it cannot
/// take it back.
fn report(line: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
}

fn run() -> Result<(), String> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [profile, server, ca, certificate, key, client_id] = arguments.as_slice() else {
        return Err("usage: PROFILE_DIR SERVER_URL CA DEVICE_CERT DEVICE_KEY CLIENT_ID".to_owned());
    };
    let read =
        |path: &str| std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"));
    let mut passphrase = Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut passphrase)
        .map_err(|error| error.to_string())?;
    report(format_args!("phase unlock"));
    let kluis = Arc::new(Profile::open_profile(
        profile,
        VaultConfig {
            kdf: KdfPolicy::owasp_floor(),
            ..Default::default()
        },
        Arc::new(KeyringDeviceSecretStore::new(KEYRING_SERVICE)),
    ));
    kluis
        .unlock(&Passphrase::new(passphrase.trim_end().to_owned()))
        .map_err(|error| error.to_string())?;
    let client = SyncClient::new(SyncConfig::new(
        server.clone(),
        read(ca)?,
        read(certificate)?,
        Zeroizing::new(read(key)?),
    ))
    .map_err(|error| error.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    let mut round = 0u64;
    loop {
        round += 1;
        report(format_args!("phase write"));
        let note = kluis
            .create_note(NewNote {
                client_id: client_id.clone(),
                consult_id: None,
                template: NoteTemplate::Free,
                visibility: Visibility::CareTeam,
            })
            .map_err(|error| error.to_string())?;
        kluis
            .save_draft(
                &note.id,
                vec![NoteSection {
                    key: "text".to_owned(),
                    text: format!("Ronde {round}: korte aantekening."),
                }],
            )
            .map_err(|error| error.to_string())?;
        let signed = round.is_multiple_of(2);
        if signed {
            kluis
                .sign_note(&note.id)
                .map_err(|error| error.to_string())?;
        }
        let state = if signed { "signed" } else { "draft" };
        report(format_args!("wrote {round} {} {state}", note.id));
        let outcome = runtime.block_on(sync_once_observed(
            &client,
            &kluis,
            |phase| {
                let name = match phase {
                    SyncPhase::Check => "check",
                    SyncPhase::Push => "push",
                    SyncPhase::Pull => "pull",
                    SyncPhase::AccessLog => "audit",
                };
                report(format_args!("phase {name}"));
            },
            |_| {},
        ));
        // Failures (the store busy, a refusal) are the next round's business;
        // the test counts them.
        match outcome {
            Ok(_) => report(format_args!("round {round} {} synced", note.id)),
            Err(error) => report(format_args!(
                "round {round} {} unsynced {:?}",
                note.id,
                error.to_string()
            )),
        }
    }
}
