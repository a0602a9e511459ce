//! Create, lock, unlock, throttling and passphrase change (SPEC §4).

use std::time::Duration;

use kluis_core::record::practitioner::Role;
use kluis_core::vault::VaultConfig;
use kluis_core::vault::throttle::{ThrottlePolicy, ThrottleState};
use kluis_core::{CoreError, ErrorCode, ProfileStatus, SessionInfo};

use crate::support::{
    NEW_PASSPHRASE, PASSPHRASE, PRACTITIONER, Snapshot, TestProfile, WRONG_PASSPHRASE,
    fast_config_with_throttle, passphrase, sample_client,
};

#[test]
fn data_survives_lock_unlock_and_restart() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    assert_eq!(
        kluis.status(),
        ProfileStatus {
            vault_exists: true,
            unlocked: true
        }
    );
    let created = kluis
        .create_client(sample_client("Sanne"))
        .expect("create client");

    let outcome = kluis.lock();
    assert!(outcome.was_unlocked);
    assert_eq!(
        kluis.status(),
        ProfileStatus {
            vault_exists: true,
            unlocked: false
        }
    );
    assert!(matches!(kluis.list_clients(), Err(CoreError::Locked)));
    assert!(!kluis.lock().was_unlocked, "a second lock is a no-op");

    kluis.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    let listed: Vec<String> = kluis
        .list_clients()
        .expect("list")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(listed, vec![created.id.clone()]);
    assert_eq!(kluis.get_client(&created.id).expect("get"), created);
    kluis.lock();
    drop(kluis);

    let restarted = profile.kluis();
    assert_eq!(
        restarted.status(),
        ProfileStatus {
            vault_exists: true,
            unlocked: false
        }
    );
    restarted
        .unlock(&passphrase(PASSPHRASE))
        .expect("unlock after restart");
    assert_eq!(
        restarted
            .get_client(&created.id)
            .expect("get after restart"),
        created
    );
    assert_eq!(
        restarted.list_clients().expect("list after restart").len(),
        1
    );
    assert_eq!(
        restarted.session_info().expect("session"),
        SessionInfo {
            practitioner_name: PRACTITIONER.to_owned(),
            role: Role::Psychologist
        }
    );
}

#[test]
fn wrong_passphrase_is_refused() {
    let profile = TestProfile::new();
    profile.create_locked_with_client();
    let files = profile.files();
    let before = Snapshot::take(&files);
    let kluis = profile.kluis();

    for wrong in [WRONG_PASSPHRASE.to_owned(), format!("{PASSPHRASE} ")] {
        let error = kluis
            .unlock(&passphrase(&wrong))
            .expect_err("a wrong passphrase must not unlock");
        assert!(matches!(error, CoreError::WrongPassphrase), "{error:?}");
        assert_eq!(error.code(), ErrorCode::WrongPassphrase);
        assert!(!kluis.status().unlocked);
        assert!(matches!(kluis.list_clients(), Err(CoreError::Locked)));
    }
    assert_eq!(
        profile.vault().throttle().state().expect("state").failures,
        2
    );
    before.assert_unchanged(&files, "wrong passphrases");

    kluis
        .unlock(&passphrase(PASSPHRASE))
        .expect("the right passphrase still works");
    assert_eq!(kluis.list_clients().expect("list").len(), 1);
    assert_eq!(
        profile.vault().throttle().state().expect("state"),
        ThrottleState::default()
    );
}

#[test]
fn throttle_survives_a_restart() {
    let policy = ThrottlePolicy {
        free_attempts: 1,
        base_delay: Duration::from_secs(30),
        max_delay: Duration::from_secs(60),
    };
    let profile = TestProfile::with_config(fast_config_with_throttle(policy));
    profile.create_locked_with_client();
    assert!(
        !profile.files().throttle().exists(),
        "no throttle file before any failure"
    );
    let files = profile.files();
    let before = Snapshot::take(&files);

    let kluis = profile.kluis();
    let first = kluis
        .unlock(&passphrase(WRONG_PASSPHRASE))
        .expect_err("wrong");
    assert!(matches!(first, CoreError::WrongPassphrase), "{first:?}");
    // One failure is free; after it the delay applies, so the second attempt is
    // refused before the passphrase is even looked at.
    let second = kluis
        .unlock(&passphrase(WRONG_PASSPHRASE))
        .expect_err("wrong");
    assert!(matches!(second, CoreError::Throttled { .. }), "{second:?}");
    drop(kluis);
    assert!(
        profile.files().throttle().exists(),
        "the throttle state is on disk"
    );

    // "Restart": new objects on the same directory.
    let restarted = profile.kluis();
    let error = restarted
        .unlock(&passphrase(PASSPHRASE))
        .expect_err("throttled even with the right passphrase");
    let CoreError::Throttled { retry_after } = error else {
        panic!("expected Throttled, got {error:?}");
    };
    assert!(retry_after > Duration::ZERO, "{retry_after:?}");
    assert!(retry_after <= Duration::from_secs(30), "{retry_after:?}");
    assert_eq!(error.code(), ErrorCode::Throttled);
    assert!(
        error
            .retry_after_seconds()
            .is_some_and(|seconds| (1..=30).contains(&seconds))
    );
    assert!(!restarted.status().unlocked);

    let vault = profile.vault();
    assert!(matches!(
        vault.unlock(&passphrase(PASSPHRASE)),
        Err(CoreError::Throttled { .. })
    ));
    assert!(matches!(
        vault.change_passphrase(&passphrase(PASSPHRASE), &passphrase(NEW_PASSPHRASE)),
        Err(CoreError::Throttled { .. })
    ));
    assert_eq!(vault.throttle().state().expect("state").failures, 1);
    before.assert_unchanged(&files, "wrong and throttled attempts");
}

#[test]
fn throttle_runs_out_and_success_resets_it() {
    let policy = ThrottlePolicy {
        free_attempts: 1,
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(1),
    };
    let profile = TestProfile::with_config(fast_config_with_throttle(policy));
    profile.create_locked_with_client();
    let kluis = profile.kluis();
    let throttle = profile.vault().throttle();
    let files = profile.files();
    let before = Snapshot::take(&files);

    let error = kluis
        .unlock(&passphrase(WRONG_PASSPHRASE))
        .expect_err("wrong");
    assert!(matches!(error, CoreError::WrongPassphrase), "{error:?}");
    let state = throttle.state().expect("state");
    assert_eq!(state.failures, 1);
    assert!(state.not_before > 0);
    before.assert_unchanged(&files, "a wrong passphrase");

    // The delay is kept in whole seconds: 1.5 s always covers a 1 s delay.
    std::thread::sleep(Duration::from_millis(1500));
    kluis
        .unlock(&passphrase(PASSPHRASE))
        .expect("unlock after the delay");
    assert_eq!(kluis.list_clients().expect("list").len(), 1);
    assert_eq!(
        throttle.state().expect("state"),
        ThrottleState::default(),
        "success resets the counter"
    );
    kluis.lock();

    // Counting starts again from zero.
    let before = Snapshot::take(&files);
    let error = kluis
        .unlock(&passphrase(WRONG_PASSPHRASE))
        .expect_err("wrong");
    assert!(matches!(error, CoreError::WrongPassphrase), "{error:?}");
    assert_eq!(throttle.state().expect("state").failures, 1);
    before.assert_unchanged(&files, "a wrong passphrase after a lock");
}

/// A throttle file that cannot be read (a crash, a disk error, a bad edit) must
/// cost the user one delay, not lock them out of their vault for good.
#[test]
fn damaged_throttle_file_delays_but_does_not_lock_out_forever() {
    let policy = ThrottlePolicy {
        free_attempts: 1,
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(1),
    };
    let profile = TestProfile::with_config(fast_config_with_throttle(policy));
    profile.create_locked_with_client();
    std::fs::write(profile.files().throttle(), b"{ damaged").expect("damage throttle file");
    let files = profile.files();
    let before = Snapshot::take(&files);

    let kluis = profile.kluis();
    let error = kluis
        .unlock(&passphrase(PASSPHRASE))
        .expect_err("a damaged file means a delay");
    assert!(matches!(error, CoreError::Throttled { .. }), "{error:?}");
    before.assert_unchanged(&files, "a throttled attempt");

    std::thread::sleep(Duration::from_millis(2500));
    let result = kluis.unlock(&passphrase(PASSPHRASE));
    assert!(
        result.is_ok(),
        "after waiting out base_delay the right passphrase must work, got {:?}",
        result.err()
    );
}

#[test]
fn passphrase_change_rewraps_the_key_only() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let created = kluis
        .create_client(sample_client("Sanne"))
        .expect("create client");
    // Close once so the database file holds everything, then reopen.
    kluis.lock();
    kluis.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    let files = profile.files();
    let before = Snapshot::take(&files);

    let weak = kluis.change_passphrase(&passphrase(PASSPHRASE), &passphrase("password123"));
    assert!(matches!(weak, Err(CoreError::WeakPassphrase)), "{weak:?}");
    let wrong = kluis.change_passphrase(&passphrase(WRONG_PASSPHRASE), &passphrase(NEW_PASSPHRASE));
    assert!(
        matches!(wrong, Err(CoreError::WrongPassphrase)),
        "{wrong:?}"
    );
    before.assert_unchanged(&files, "refused passphrase changes");

    kluis
        .change_passphrase(&passphrase(PASSPHRASE), &passphrase(NEW_PASSPHRASE))
        .expect("change passphrase");
    before.assert_database_unchanged(&files, "the database must not be re-encrypted");
    assert_ne!(
        Snapshot::take(&files),
        before,
        "the header must hold the rewrapped key"
    );
    assert_eq!(
        kluis.get_client(&created.id).expect("still usable"),
        created
    );
    kluis.lock();

    let old = kluis
        .unlock(&passphrase(PASSPHRASE))
        .expect_err("the old passphrase is refused");
    assert!(matches!(old, CoreError::WrongPassphrase), "{old:?}");
    kluis.lock();
    drop(kluis);

    let restarted = profile.kluis();
    restarted
        .unlock(&passphrase(NEW_PASSPHRASE))
        .expect("the new passphrase works");
    assert_eq!(
        restarted.get_client(&created.id).expect("data intact"),
        created
    );
    assert_eq!(restarted.list_clients().expect("list").len(), 1);
}

#[test]
fn calibrated_key_derivation_is_strong_and_takes_about_a_quarter_second() {
    let profile = TestProfile::with_config(VaultConfig::default());
    let vault = profile.vault();
    let open = vault.create(&passphrase(PASSPHRASE)).expect("create");
    profile.remember_vault_id();
    let parameters = open.header().argon2;
    open.close().expect("close");

    assert!(parameters.memory_kib >= 64 * 1024, "{parameters:?}");
    assert!(parameters.iterations >= 2, "{parameters:?}");
    assert!(parameters.meets_floor());

    let (open, timings) = vault.unlock_timed(&passphrase(PASSPHRASE)).expect("unlock");
    assert_eq!(
        open.header().argon2,
        parameters,
        "unlock uses the stored parameters"
    );
    open.close().expect("close");
    let millis = timings.key_derivation.as_millis();
    assert!(
        (100..=1000).contains(&millis),
        "key derivation took {millis} ms"
    );
}
