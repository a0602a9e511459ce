//! A crash drill for sync: unlocks a vault, then writes and syncs in a loop
//! until it is killed. The kill test (`tests/it.rs`) SIGKILLs it at random
//! moments and checks that nothing written was lost and nothing duplicated.
//! The passphrase comes on standard input.
//!
//!     kluis-sync-drill PROFILE_DIR SERVER_URL CA.pem DEVICE.pem DEVICE.key.pem CLIENT_ID
// It reports each finished round on standard output; that is its whole job.
#![allow(clippy::print_stdout)]

use std::io::{Read, Write};
use std::sync::Arc;

use kluis_core::Kluis;
use kluis_core::kdf::KdfPolicy;
use kluis_core::keystore::KeyringDeviceSecretStore;
use kluis_core::notes::{NewNote, NoteSection, NoteTemplate, Visibility};
use kluis_core::secret::Passphrase;
use kluis_core::vault::VaultConfig;
use kluis_sync::{SyncClient, SyncConfig, sync_once};
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
    let kluis = Kluis::open_profile(
        profile,
        VaultConfig {
            kdf: KdfPolicy::owasp_floor(),
            ..Default::default()
        },
        Arc::new(KeyringDeviceSecretStore::new(KEYRING_SERVICE)),
    );
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
        if round.is_multiple_of(2) {
            kluis
                .sign_note(&note.id)
                .map_err(|error| error.to_string())?;
        }
        // Failures (the store busy, a refusal) are the next round's business.
        let _ = runtime.block_on(sync_once(&client, &kluis));
        println!("round {round}");
        let _ = std::io::stdout().flush();
    }
}
