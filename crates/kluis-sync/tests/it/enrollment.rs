//! The device's side of enrollment against a real store: the token alone is
//! enough to find and trust the store, the new certificate works for sync,
//! and the private key ends up in the vault and in no file of the profile.

use base64::Engine;
use kluis_core::{Passphrase, Practitioner};
use kluis_protocol::ErrorCode;
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_sync::{SyncClient, SyncConfig, SyncError, enroll};
use kluis_testkit::{Backend, TestStore, off_runtime, on_both_back_ends};

use crate::support::{TEST_PASSPHRASE, open_test_profile};

/// Every byte of every file below `directory`.
fn files_below(directory: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(directory).expect("directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(files_below(&path));
        } else {
            found.push((path.clone(), std::fs::read(&path).expect("file")));
        }
    }
    found
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

async fn a_device_enrolls_with_a_token_and_keeps_its_key_only_in_the_vault<S: Backend>() {
    let store = TestStore::<S>::start().await;
    let token = store.enrollment_token("anna-laptop");

    let enrolled = enroll(&token).await.expect("enrolled");
    assert_eq!(enrolled.practitioner_id, "anna");
    assert_eq!(enrolled.practitioner_name, "Anna de Vries");
    let registered = off_runtime(|| store.store.list_devices()).expect("devices");
    assert_eq!(
        registered[0].key_words.as_deref(),
        Some(enrolled.key_words.as_str()),
        "the store and the device show the same words"
    );

    // The certificate works: the store knows the device by it.
    let identity = &enrolled.identity;
    let client = SyncClient::new(SyncConfig::new(
        identity.server_url.clone(),
        identity.ca_pem.clone(),
        identity.certificate_pem.clone(),
        identity.key_pem.clone(),
    ))
    .expect("client");
    let whoami = client.whoami().await.expect("whoami");
    assert_eq!(whoami.device_id, "anna-laptop");

    // Into the vault, and nowhere else in the profile.
    let directory = tempfile::tempdir().expect("tempdir");
    let profile = open_test_profile(directory.path());
    let practitioner = Practitioner::with_id(
        &enrolled.practitioner_id,
        &enrolled.practitioner_name,
        enrolled.role,
    )
    .expect("practitioner");
    profile
        .create_vault_for(&Passphrase::from(TEST_PASSPHRASE), practitioner)
        .expect("vault");
    profile
        .set_sync_identity(&enrolled.identity)
        .expect("identity in the vault");
    assert_eq!(
        profile
            .sync_identity()
            .expect("read")
            .expect("kept")
            .key_pem,
        enrolled.identity.key_pem
    );
    profile.lock();
    let pem = enrolled.identity.key_pem.as_str();
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(&body)
        .expect("der");
    let first_pem_line = pem.lines().nth(1).expect("a base64 line");
    for (path, bytes) in files_below(directory.path()) {
        assert!(
            !contains(&bytes, first_pem_line.as_bytes()) && !contains(&bytes, &der),
            "the device key is in {}",
            path.display()
        );
    }
    let _ = profile.vault().destroy();
}

/// The app is told in the store's terms what is wrong with a token.
async fn a_used_token_is_refused_as_used<S: Backend>() {
    let store = TestStore::<S>::start().await;
    let token = store.enrollment_token("anna-laptop");
    enroll(&token).await.expect("first use");
    let again = enroll(&token).await;
    assert!(
        matches!(
            again,
            Err(SyncError::Refused {
                code: ErrorCode::TokenUsed,
                ..
            })
        ),
        "{again:?}"
    );
}

/// A token that names another CA than the store's: the device does not
/// trust the store, and sends nothing.
async fn a_token_with_another_ca_does_not_trust_the_store<S: Backend>() {
    let store = TestStore::<S>::start().await;
    let mut token = store.enrollment_token("anna-laptop");
    token.ca_fingerprint = "0".repeat(64);
    let refused = enroll(&token).await;
    assert!(
        matches!(refused, Err(SyncError::NotTrusted(_))),
        "{refused:?}"
    );
    let devices = off_runtime(|| store.store.list_devices()).expect("devices");
    assert!(devices.is_empty());
}

on_both_back_ends!(
    a_device_enrolls_with_a_token_and_keeps_its_key_only_in_the_vault,
    a_used_token_is_refused_as_used,
    a_token_with_another_ca_does_not_trust_the_store,
);
