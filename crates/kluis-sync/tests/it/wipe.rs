//! Remote wipe against a real store, on both back ends: IT marks a laptop;
//! its next round sends what it holds and stops; the laptop signs a receipt,
//! erases its profile and keyring secret, and the store records the receipt
//! and revokes the certificate. A lost answer leaves the report to be sent
//! later; a forged or tampered report is refused; an unsigned one is kept
//! as the device's claim and revokes nothing.

use kluis_core::record::practitioner::Role as CoreRole;
use kluis_core::{Passphrase, PendingWipeReport};
use kluis_protocol::ErrorCode;
use kluis_protocol::wipe::{WipeReason, WipeReport};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::DeviceState;
use kluis_sync::{SyncError, sync_once, wipe};
use kluis_testkit::fixtures::sample_client;
use kluis_testkit::{Backend, TestStore, off_runtime, on_both_back_ends};

use crate::support::{Devices, Laptop, TEST_PASSPHRASE};

fn files_in(directory: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .expect("profile directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

async fn a_marked_laptop_sends_what_it_holds_erases_itself_and_the_store_keeps_the_receipt<
    S: Backend,
>() {
    let store = TestStore::<S>::start_in("nl").await;
    let laptop = store.laptop("Anna", CoreRole::Psychologist);
    store.knows_its_store(&laptop);
    let header = std::fs::read(laptop.kluis.vault().files().header()).expect("header");
    let vault_id = kluis_core::vault::header::HeaderBody::parse_unverified(&header)
        .expect("header")
        .0
        .vault_id;
    let written_offline = laptop
        .kluis
        .create_client(sample_client("Noor"))
        .expect("client");
    let device_id = "Anna-laptop";
    let marked = off_runtime(|| store.store.request_wipe(device_id)).expect("marked");
    assert_eq!(marked.state(), DeviceState::WipePending);

    let stopped = sync_once(&laptop.client, &laptop.kluis).await;
    assert!(
        matches!(&stopped, Err(SyncError::WipeRequested { device_id: id }) if id == device_id),
        "{stopped:?}"
    );
    let kept = off_runtime(|| {
        store.store.transaction(|transaction| {
            transaction.record(kluis_protocol::RecordKind::Client, &written_offline.id)
        })
    })
    .expect("read");
    assert!(
        kept.is_some(),
        "what the laptop wrote reached the store first"
    );
    // The store sends a marked device nothing more, even if it asks.
    let pulled = laptop.client.pull(0, 10).await;
    assert!(
        matches!(
            &pulled,
            Err(SyncError::Refused {
                code: ErrorCode::WipeRequested,
                ..
            })
        ),
        "{pulled:?}"
    );

    let answer = wipe::carry_out(&laptop.kluis, device_id)
        .await
        .expect("wiped and reported");
    assert!(answer.verified, "the receipt's signature held");
    assert!(
        files_in(laptop.kluis.directory()).is_empty(),
        "nothing is left of the profile once the store has the report: {:?}",
        files_in(laptop.kluis.directory())
    );
    assert!(!laptop.kluis.status().vault_exists);
    let secrets = kluis_core::KeyringDeviceSecretStore::new("nl.kluis.test-sync");
    assert!(
        matches!(
            kluis_core::DeviceSecretStore::load(&secrets, &vault_id),
            Err(kluis_core::CoreError::DeviceSecretMissing)
        ),
        "the keyring secret is gone"
    );
    assert!(
        matches!(
            laptop.kluis.unlock(&Passphrase::from(TEST_PASSPHRASE)),
            Err(kluis_core::CoreError::VaultMissing(_))
        ),
        "there is nothing left to unlock"
    );

    let device = off_runtime(|| store.store.device(device_id))
        .expect("read")
        .expect("device");
    assert_eq!(device.state(), DeviceState::Wiped);
    assert!(device.revoked_at.is_some(), "the certificate is revoked");
    let history = off_runtime(|| store.store.device_history(device_id)).expect("history");
    let kinds: Vec<&str> = history.iter().map(|event| event.kind.as_str()).collect();
    assert_eq!(kinds, ["wipe_requested", "wipe_receipt"]);
    let receipt: WipeReport = serde_json::from_str(&history[1].detail).expect("report");
    let receipt = receipt.receipt().expect("receipt");
    assert_eq!(receipt.device_id, device_id);
    assert_eq!(receipt.reason, WipeReason::Remote);
    assert!(receipt.erased.iter().any(|item| item == "keyring secret"));

    // The revoked certificate is refused from now on.
    let refused = laptop.client.whoami().await;
    assert!(
        matches!(refused, Err(SyncError::DeviceRevoked)),
        "{refused:?}"
    );
}

async fn a_report_whose_answer_is_lost_is_kept_and_sent_at_the_next_attempt<S: Backend>() {
    let mut store = TestStore::<S>::start_in("nl").await;
    let laptop = store.laptop("Anna", CoreRole::Psychologist);
    store.knows_its_store(&laptop);
    off_runtime(|| store.store.request_wipe("Anna-laptop")).expect("marked");
    let address = store.address();
    store.stop().await;

    let offline = wipe::carry_out(&laptop.kluis, "Anna-laptop").await;
    assert!(matches!(offline, Err(SyncError::Offline)), "{offline:?}");
    assert_eq!(
        files_in(laptop.kluis.directory()),
        [kluis_core::profile::wipe::WIPE_REPORT_FILE],
        "the vault is erased anyway, and only the report waits"
    );
    // An app killed while erasing finishes the erasure at its next start.
    assert!(laptop.kluis.complete_pending_wipe().expect("completed"));

    store.restart(address).await;
    let answer = wipe::send_pending(&laptop.kluis).await.expect("sent");
    assert!(answer.verified);
    assert!(files_in(laptop.kluis.directory()).is_empty());
    let device = off_runtime(|| store.store.device("Anna-laptop"))
        .expect("read")
        .expect("device");
    assert_eq!(device.state(), DeviceState::Wiped);
}

async fn a_forged_or_tampered_report_is_refused_and_an_unsigned_one_is_only_a_claim<S: Backend>() {
    let store = TestStore::<S>::start_in("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let bram = store.laptop("Bram", CoreRole::Psychologist);
    let pending = |report: WipeReport| PendingWipeReport {
        store_url: store.base_url(),
        ca_pem: store.ca.certificate_pem(),
        report,
        wiped_at: "2026-12-02T09:00:00Z".to_owned(),
    };
    let identity = |laptop: &Laptop| store.identity_of(laptop);
    let refused_as_forbidden = |outcome: &Result<_, SyncError>| {
        matches!(
            outcome,
            Err(SyncError::Refused {
                code: ErrorCode::Forbidden,
                ..
            })
        )
    };

    // Bram's key signs a receipt for Anna's laptop, with Anna's certificate.
    let mut forged = wipe::signed_report(
        &identity(&bram),
        "Anna-laptop",
        WipeReason::Remote,
        "2026-12-02T09:00:00Z",
    )
    .expect("signed");
    forged.certificate_pem = anna.identity.certificate_pem.clone();
    let outcome = wipe::send(&pending(forged)).await;
    assert!(refused_as_forbidden(&outcome), "{outcome:?}");

    // Anna's own signature, over a receipt changed afterwards.
    let mut tampered = wipe::signed_report(
        &identity(&anna),
        "Anna-laptop",
        WipeReason::Remote,
        "2026-12-02T09:00:00Z",
    )
    .expect("signed");
    tampered.receipt = tampered.receipt.replace("09:00:00", "10:00:00");
    let outcome = wipe::send(&pending(tampered)).await;
    assert!(refused_as_forbidden(&outcome), "{outcome:?}");

    // Bram's certificate, for Anna's laptop.
    let mut other_certificate = wipe::signed_report(
        &identity(&bram),
        "Anna-laptop",
        WipeReason::Remote,
        "2026-12-02T09:00:00Z",
    )
    .expect("signed");
    other_certificate.scheme = None;
    other_certificate.signature = None;
    let outcome = wipe::send(&pending(other_certificate)).await;
    assert!(refused_as_forbidden(&outcome), "{outcome:?}");

    // Unsigned, with Anna's certificate: recorded as a claim, nothing more.
    let mut unsigned = wipe::signed_report(
        &identity(&anna),
        "Anna-laptop",
        WipeReason::FailedUnlocks,
        "2026-12-02T09:00:00Z",
    )
    .expect("signed");
    unsigned.scheme = None;
    unsigned.signature = None;
    let answer = wipe::send(&pending(unsigned.clone()))
        .await
        .expect("claim kept");
    assert!(!answer.verified);
    // Said again, it is not written again: a claim needs no proof.
    wipe::send(&pending(unsigned)).await.expect("repeated");
    let device = off_runtime(|| store.store.device("Anna-laptop"))
        .expect("read")
        .expect("device");
    assert_eq!(
        device.state(),
        DeviceState::Active,
        "a claim revokes nothing"
    );
    let history = off_runtime(|| store.store.device_history("Anna-laptop")).expect("history");
    let kinds: Vec<&str> = history.iter().map(|event| event.kind.as_str()).collect();
    assert_eq!(kinds, ["wipe_claim"]);
    anna.sync("anna still syncs").await;
}

on_both_back_ends!(
    a_marked_laptop_sends_what_it_holds_erases_itself_and_the_store_keeps_the_receipt,
    a_report_whose_answer_is_lost_is_kept_and_sent_at_the_next_attempt,
    a_forged_or_tampered_report_is_refused_and_an_unsigned_one_is_only_a_claim,
);
