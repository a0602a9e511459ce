//! Managed policy on a real vault and a real keyring: a policy file read
//! strictly; settings that can be stricter, never looser; the enrollment
//! token's policy under the machine's; a store the policy does not name
//! refused; the vault erased after the policy's number of wrong
//! passphrases, with an unsigned report for the store; the offline grace
//! period on a clock the test sets.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use kluis_core::profile::contact::DEVICE_CARD_FILE;
use kluis_core::profile::policy::{PolicyFileError, read_policy_file};
use kluis_core::record::practitioner::Role;
use kluis_core::vault::keystore::DeviceSecretStore;
use kluis_core::vault::throttle::ThrottlePolicy;
use kluis_core::{CoreError, ErrorCode, Settings, SyncIdentity};
use kluis_protocol::managed::ManagedPolicy;
use kluis_protocol::wipe::WipeReason;
use zeroize::Zeroizing;

use crate::support::{
    PASSPHRASE, TestProfile, WRONG_PASSPHRASE, fast_config_with_throttle, passphrase,
};

fn policy(text: &str) -> ManagedPolicy {
    ManagedPolicy::parse(text).expect("policy")
}

#[test]
fn a_policy_file_is_read_strictly_and_a_missing_one_is_none() {
    let directory = tempfile::tempdir().expect("tempdir");
    let path = directory.path().join("policy.json");
    assert!(read_policy_file(&path).expect("missing").is_none());

    for (text, key, message) in [
        (
            r#"{"max_idle_lock_seconds": 60, "idle": 5}"#,
            "idle",
            "idle: is not a key Kluis knows",
        ),
        (
            r#"{"wipe_after_failed_unlocks": "ten"}"#,
            "wipe_after_failed_unlocks",
            "wipe_after_failed_unlocks: wrong type",
        ),
        (
            r#"{"max_idle_lock_seconds": 900}"#,
            "max_idle_lock_seconds",
            "max_idle_lock_seconds: 900 is outside what Kluis allows (5 to 300 seconds)",
        ),
    ] {
        std::fs::write(&path, text).expect("write");
        match read_policy_file(&path) {
            Err(PolicyFileError::Refused { error, .. }) => {
                assert_eq!(error.key, key, "{text}");
                assert!(error.message.starts_with(message), "{text}: {error}");
            }
            other => panic!("{text} was not refused: {other:?}"),
        }
    }
    std::fs::write(&path, r#"{"max_idle_lock_seconds": 60}"#).expect("write");
    assert_eq!(
        read_policy_file(&path)
            .expect("read")
            .expect("some")
            .max_idle_lock_seconds,
        Some(60)
    );
}

#[test]
fn a_managed_value_cannot_be_loosened_from_settings_and_a_stricter_one_is_kept() {
    let test = TestProfile::new();
    let kluis = test.create(Role::Psychologist).with_machine_policy(policy(
        r#"{"max_idle_lock_seconds": 120, "lock_on_minimize": true}"#,
    ));
    // Saved before the policy came: read back within it.
    let shown = kluis.settings();
    assert_eq!(shown.idle_timeout_seconds, 120);
    assert!(shown.lock_on_minimize);

    let looser = Settings {
        idle_timeout_seconds: 300,
        ..shown
    };
    let refused = kluis.update_settings(looser).expect_err("looser idle lock");
    assert_eq!(refused.code(), ErrorCode::SettingManaged);
    assert_eq!(refused.field(), Some("idleTimeoutSeconds"));
    let unticked = Settings {
        lock_on_minimize: false,
        ..shown
    };
    let refused = kluis
        .update_settings(unticked)
        .expect_err("lock on minimize off");
    assert_eq!(refused.field(), Some("lockOnMinimize"));

    let stricter = Settings {
        idle_timeout_seconds: 60,
        ..shown
    };
    kluis
        .update_settings(stricter)
        .expect("stricter is allowed");
    assert_eq!(kluis.settings().idle_timeout_seconds, 60);
}

#[test]
fn the_machine_policy_wins_over_the_enrollment_token_and_names_the_allowed_store() {
    let test = TestProfile::new();
    let kluis = test.create(Role::Psychologist).with_machine_policy(policy(
        r#"{"store_url": "https://kluis.example.nl", "max_idle_lock_seconds": 60}"#,
    ));
    kluis
        .save_enrollment_policy(&policy(
            r#"{"max_idle_lock_seconds": 240, "clipboard_clear_seconds": 15}"#,
        ))
        .expect("token policy kept");
    let effective = kluis.policy();
    assert_eq!(effective.max_idle_lock_seconds, 60, "the file wins");
    assert_eq!(effective.clipboard_clear_seconds, 15, "the token fills in");
    assert_eq!(kluis.clipboard_clear_after(), Duration::from_secs(15));

    let ca = "ab".repeat(32);
    kluis
        .check_store_allowed("https://kluis.example.nl/", &ca)
        .expect("the named store");
    let refused = kluis
        .check_store_allowed("https://elders.example.com", &ca)
        .expect_err("another store");
    assert_eq!(refused.code(), ErrorCode::NotAllowedByPolicy);
}

/// A vault that has been in contact with its store (its card written).
fn in_contact(test: &TestProfile, kluis: &kluis_core::Profile, at: chrono::DateTime<Utc>) {
    kluis
        .set_sync_identity(&SyncIdentity {
            server_url: "https://kluis.example.nl".to_owned(),
            ca_pem: "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n".to_owned(),
            certificate_pem: "-----BEGIN CERTIFICATE-----\nREVWSUNF\n-----END CERTIFICATE-----\n"
                .to_owned(),
            key_pem: Zeroizing::new("not a key".to_owned()),
        })
        .expect("identity");
    kluis
        .note_store_contact("anna-laptop", at)
        .expect("contact");
    assert!(test.path().join(DEVICE_CARD_FILE).exists());
}

#[test]
fn the_policys_number_of_wrong_passphrases_erases_the_vault_and_leaves_an_unsigned_report() {
    let no_delay = ThrottlePolicy {
        free_attempts: 10,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };
    let test = TestProfile::with_config(fast_config_with_throttle(no_delay));
    let kluis = test
        .create(Role::Psychologist)
        .with_machine_policy(policy(r#"{"wipe_after_failed_unlocks": 5}"#));
    in_contact(&test, &kluis, Utc::now());
    let vault_id = test.vault_id();
    kluis.lock();

    for attempt in 1..5 {
        let error = kluis
            .unlock(&passphrase(WRONG_PASSPHRASE))
            .expect_err("wrong");
        assert!(
            matches!(error, CoreError::WrongPassphrase),
            "attempt {attempt}: {error:?}"
        );
        assert!(
            kluis.status().vault_exists,
            "attempt {attempt} erases nothing"
        );
    }
    let error = kluis
        .unlock(&passphrase(WRONG_PASSPHRASE))
        .expect_err("fifth");
    assert_eq!(error.code(), ErrorCode::VaultWiped);
    assert!(!kluis.status().vault_exists);
    assert!(
        matches!(
            test.store().load(&vault_id),
            Err(CoreError::DeviceSecretMissing)
        ),
        "the keyring secret is gone"
    );
    assert!(
        matches!(
            kluis.unlock(&passphrase(PASSPHRASE)),
            Err(CoreError::VaultMissing(_))
        ),
        "the right passphrase opens nothing now"
    );
    let files: Vec<String> = std::fs::read_dir(test.path())
        .expect("profile")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        files,
        ["wipe-report.json"],
        "only the report for the store is left"
    );
    let pending = kluis
        .pending_wipe_report()
        .expect("read")
        .expect("a report waits");
    assert_eq!(
        pending.report.signature, None,
        "no key was left to sign with"
    );
    let receipt = pending.report.receipt().expect("receipt");
    assert_eq!(receipt.reason, WipeReason::FailedUnlocks);
    assert_eq!(receipt.device_id, "anna-laptop");
}

#[test]
fn without_a_policy_wrong_passphrases_only_slow_down() {
    let no_delay = ThrottlePolicy {
        free_attempts: 20,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };
    let test = TestProfile::with_config(fast_config_with_throttle(no_delay));
    let kluis = test.create(Role::Psychologist);
    kluis.lock();
    for _ in 0..8 {
        assert!(matches!(
            kluis.unlock(&passphrase(WRONG_PASSPHRASE)),
            Err(CoreError::WrongPassphrase)
        ));
    }
    kluis.unlock(&passphrase(PASSPHRASE)).expect("still opens");
}

#[test]
fn the_offline_grace_period_runs_out_only_after_its_days_without_contact() {
    let test = TestProfile::new();
    let kluis = test
        .create(Role::Psychologist)
        .with_machine_policy(policy(r#"{"offline_grace_days": 3}"#));
    let monday = Utc
        .with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .single()
        .expect("time");
    assert_eq!(
        kluis.offline_grace_expired(monday + chrono::Duration::days(30)),
        None,
        "a vault that never reached a store has no period to run out"
    );
    in_contact(&test, &kluis, monday);
    assert_eq!(
        kluis.offline_grace_expired(monday + chrono::Duration::days(3)),
        None
    );
    assert_eq!(
        kluis.offline_grace_expired(
            monday + chrono::Duration::days(3) + chrono::Duration::minutes(1)
        ),
        Some(3)
    );
    kluis
        .note_store_contact("anna-laptop", monday + chrono::Duration::days(5))
        .expect("contact again");
    assert_eq!(
        kluis.offline_grace_expired(monday + chrono::Duration::days(6)),
        None
    );
}
