//! Managed policy against a real store, on both back ends: the device states
//! the hash of its policy and the store keeps it with the last contact, so
//! IT sees drift; a malformed hash is refused; the offline grace period on a
//! clock the test sets: renewed when the store answers, the vault locked or
//! erased (with a signed receipt the store takes later) when it does not.

use chrono::Utc;
use kluis_core::record::practitioner::Role as CoreRole;
use kluis_protocol::managed::ManagedPolicy;
use kluis_protocol::wipe::WipeReason;
use kluis_protocol::{ErrorBody, ErrorCode, POLICY_HASH_HEADER};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::DeviceState;
use kluis_sync::grace::{GraceOutcome, enforce};
use kluis_sync::{SyncClient, SyncConfig, sync_once, wipe};
use kluis_testkit::{Backend, TestStore, off_runtime, on_both_back_ends};
use zeroize::Zeroizing;

use crate::support::{Devices, Laptop};

/// The laptop's vault knows its store and runs `policy`; its client states
/// the policy's hash.
fn under_policy<S: Backend>(store: &TestStore<S>, laptop: &Laptop, policy: &str) -> SyncClient {
    store.knows_its_store(laptop);
    laptop
        .kluis
        .save_enrollment_policy(&ManagedPolicy::parse(policy).expect("policy"))
        .expect("policy kept");
    SyncClient::new(
        SyncConfig::new(
            store.base_url(),
            store.ca.certificate_pem(),
            laptop.identity.certificate_pem.clone(),
            Zeroizing::new(laptop.identity.key_pem.clone()),
        )
        .under_policy(&laptop.kluis.policy()),
    )
    .expect("client")
}

async fn the_store_keeps_each_devices_policy_hash_and_last_contact<S: Backend>() {
    let store = TestStore::<S>::start_in("nl").await;
    let laptop = store.laptop("Anna", CoreRole::Psychologist);
    let before = off_runtime(|| store.store.device("Anna-laptop"))
        .expect("read")
        .expect("device");
    assert_eq!(before.last_contact_at, None);
    assert_eq!(before.policy_hash, None);

    let client = under_policy(&store, &laptop, r#"{"max_idle_lock_seconds": 60}"#);
    sync_once(&client, &laptop.kluis).await.expect("round");
    let after = off_runtime(|| store.store.device("Anna-laptop"))
        .expect("read")
        .expect("device");
    assert_eq!(
        after.policy_hash.as_deref(),
        Some(laptop.kluis.policy().hash().as_str())
    );
    assert!(after.last_contact_at.is_some());
    let card = laptop.kluis.device_card().expect("device card");
    assert_eq!(card.device_id, "Anna-laptop");

    // Another policy is reported at once, not a minute later.
    let looser = under_policy(&store, &laptop, r#"{"max_idle_lock_seconds": 120}"#);
    looser.whoami().await.expect("whoami");
    let changed = off_runtime(|| store.store.device("Anna-laptop"))
        .expect("read")
        .expect("device");
    assert_ne!(changed.policy_hash, after.policy_hash, "drift shows");

    // A hash that is not one is refused with its code.
    let raw = reqwest::Client::builder()
        .use_preconfigured_tls(store.client_tls_config(Some(&laptop.identity)))
        .build()
        .expect("client");
    let answer = raw
        .get(store.url("/v1/whoami"))
        .header(POLICY_HASH_HEADER, "not-a-hash")
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status(), 400);
    let body: ErrorBody = answer.json().await.expect("error body");
    assert_eq!(body.code, ErrorCode::MalformedRequest);
}

async fn an_expired_grace_period_is_renewed_when_the_store_answers_and_locks_when_not<
    S: Backend,
>() {
    let mut store = TestStore::<S>::start_in("nl").await;
    let laptop = store.laptop("Anna", CoreRole::Psychologist);
    let client = under_policy(&store, &laptop, r#"{"offline_grace_days": 3}"#);
    sync_once(&client, &laptop.kluis).await.expect("round");
    let now = Utc::now();

    assert_eq!(
        enforce(&laptop.kluis, now + chrono::Duration::days(2))
            .await
            .expect("check"),
        GraceOutcome::Within
    );
    let later = now + chrono::Duration::days(4);
    assert_eq!(
        enforce(&laptop.kluis, later).await.expect("check"),
        GraceOutcome::Renewed
    );
    assert_eq!(
        laptop.kluis.device_card().expect("card").last_contact_at,
        later.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "the period starts again from the contact"
    );

    store.stop().await;
    let outcome = enforce(&laptop.kluis, later + chrono::Duration::days(4))
        .await
        .expect("check");
    assert_eq!(outcome, GraceOutcome::Locked { days: 3 });
    assert!(!laptop.kluis.status().unlocked, "the vault is locked again");
    assert!(laptop.kluis.status().vault_exists, "and nothing is erased");
}

async fn an_expired_grace_period_erases_the_device_when_the_policy_says_so<S: Backend>() {
    let mut store = TestStore::<S>::start_in("nl").await;
    let laptop = store.laptop("Anna", CoreRole::Psychologist);
    let client = under_policy(
        &store,
        &laptop,
        r#"{"offline_grace_days": 3, "offline_grace_action": "wipe"}"#,
    );
    sync_once(&client, &laptop.kluis).await.expect("round");
    let address = store.address();
    store.stop().await;

    let outcome = enforce(&laptop.kluis, Utc::now() + chrono::Duration::days(5))
        .await
        .expect("check");
    assert_eq!(outcome, GraceOutcome::Wiped);
    assert!(!laptop.kluis.status().vault_exists);
    let pending = laptop
        .kluis
        .pending_wipe_report()
        .expect("read")
        .expect("the report waits");
    assert!(
        pending.report.signature.is_some(),
        "signed while the key was at hand"
    );
    assert_eq!(
        pending.report.receipt().expect("receipt").reason,
        WipeReason::OfflineGrace
    );

    store.restart(address).await;
    let answer = wipe::send_pending(&laptop.kluis).await.expect("sent");
    assert!(answer.verified);
    let device = off_runtime(|| store.store.device("Anna-laptop"))
        .expect("read")
        .expect("device");
    assert_eq!(device.state(), DeviceState::Wiped);
}

on_both_back_ends!(
    the_store_keeps_each_devices_policy_hash_and_last_contact,
    an_expired_grace_period_is_renewed_when_the_store_answers_and_locks_when_not,
    an_expired_grace_period_erases_the_device_when_the_policy_says_so,
);
