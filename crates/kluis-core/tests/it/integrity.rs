//! The whole-file integrity check in a child process, as the app runs it: an
//! altered page that no query reads is still found, and a lock ends the check.

use std::process::Command;

use kluis_core::record::practitioner::Role;
use kluis_core::vault::integrity::IntegrityStatus;
use kluis_core::{CoreError, Profile};

use crate::support::{
    PAGE_SIZE, PASSPHRASE, Snapshot, TestProfile, flip_byte, passphrase, sample_client,
};

fn with_checker(kluis: Profile) -> Profile {
    kluis.with_background_integrity_check(|| {
        Ok(Command::new(env!("CARGO_BIN_EXE_kluis-vault-check")))
    })
}

fn profile_with_clients() -> TestProfile {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    for number in 0..100 {
        kluis
            .create_client(sample_client(&format!("Client {number}")))
            .expect("create client");
    }
    kluis.lock();
    profile
}

#[test]
fn an_intact_vault_passes_the_background_check() {
    let profile = profile_with_clients();
    let kluis = with_checker(profile.kluis());
    kluis.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    assert_eq!(
        kluis.wait_for_integrity_check().expect("status"),
        Some(IntegrityStatus::Intact)
    );
    assert_eq!(kluis.list_clients().expect("list").len(), 100);
    kluis.lock();
}

#[test]
fn the_background_check_finds_an_altered_page_that_no_query_reads() {
    let profile = profile_with_clients();
    // Page 3 is the practitioner table's primary-key index: unlock, list and
    // get never read it.
    flip_byte(&profile.files().database(), PAGE_SIZE * 2 + 500);
    let altered = Snapshot::take(&profile.files());
    let kluis = with_checker(profile.kluis());
    kluis
        .unlock(&passphrase(PASSPHRASE))
        .expect("the unlock does not wait for the whole-file check");
    assert_eq!(
        kluis.wait_for_integrity_check().expect("status"),
        Some(IntegrityStatus::Tampered)
    );
    assert!(matches!(
        kluis.list_clients(),
        Err(CoreError::DatabaseTampered)
    ));
    kluis.lock();
    altered.assert_unchanged(&profile.files(), "after the background check");
}

#[test]
fn a_lock_ends_the_check_and_its_process() {
    let profile = profile_with_clients();
    let kluis = with_checker(profile.kluis());
    kluis.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    let pid = kluis.integrity_check_pid().expect("a running check");
    kluis.lock();
    assert_eq!(kluis.integrity_check_pid(), None);
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "the checker process {pid} was killed and reaped"
    );
}
