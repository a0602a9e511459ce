//! Reads every page of a vault as SQLite sees it (decrypted, free pages
//! included, through `sqlite_dbpage`) and says whether a pattern is on any
//! of them: the E2E's proof that an erased client left no byte behind
//! (SPEC §6). Test tooling; it opens the vault like the app does (keyring,
//! passphrase), and prints no page content.
//!
//!     KLUIS_SCAN_PASSPHRASE=… KLUIS_SCAN_PATTERN=… kluis-vault-scan PROFILE_DIR
//!
//! Prints `{"pages": N, "found": true|false}`; exits 0 unless it could not
//! read the vault.

#![allow(clippy::print_stdout)]

use std::sync::Arc;

use kluis_core::vault::{Vault, VaultConfig, VaultFiles};
use kluis_core::{KeyringDeviceSecretStore, Passphrase};

fn main() -> std::process::ExitCode {
    match scan() {
        Ok((pages, found)) => {
            println!("{{\"pages\": {pages}, \"found\": {found}}}");
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kluis-vault-scan: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn scan() -> Result<(u64, bool), String> {
    let profile = std::env::args()
        .nth(1)
        .ok_or("usage: kluis-vault-scan PROFILE_DIR")?;
    let passphrase =
        std::env::var("KLUIS_SCAN_PASSPHRASE").map_err(|_| "KLUIS_SCAN_PASSPHRASE is not set")?;
    let pattern =
        std::env::var("KLUIS_SCAN_PATTERN").map_err(|_| "KLUIS_SCAN_PATTERN is not set")?;
    if pattern.is_empty() {
        return Err("KLUIS_SCAN_PATTERN is empty".to_owned());
    }
    let vault = Vault::new(
        VaultFiles::new(std::path::Path::new(&profile).join("vault")),
        VaultConfig::default(),
        Arc::new(KeyringDeviceSecretStore::default()),
    );
    let open = vault
        .unlock(&Passphrase::from(passphrase.as_str()))
        .map_err(|error| error.to_string())?;
    let connection = open.connection().map_err(|error| error.to_string())?;
    let mut statement = connection
        .prepare("SELECT data FROM sqlite_dbpage('main') ORDER BY pgno")
        .map_err(|error| error.to_string())?;
    let mut rows = statement.query([]).map_err(|error| error.to_string())?;
    let (mut pages, mut found) = (0u64, false);
    while let Some(row) = rows.next().map_err(|error| error.to_string())? {
        let page: Vec<u8> = row.get(0).map_err(|error| error.to_string())?;
        pages += 1;
        found |= page
            .windows(pattern.len())
            .any(|window| window == pattern.as_bytes());
    }
    Ok((pages, found))
}
