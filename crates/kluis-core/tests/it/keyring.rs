//! The device secret in the OS keyring: a real Secret Service, a missing entry,
//! and no Secret Service at all.

use std::process::Command;

use kluis_core::record::practitioner::Role;
use kluis_core::vault::keystore::{DeviceSecretStore, KeyringDeviceSecretStore};
use kluis_core::vault::secret::DeviceSecret;
use kluis_core::{CoreError, ErrorCode};

use crate::support::{
    KEYRING_SERVICE, PASSPHRASE, PRACTITIONER, Snapshot, TestProfile, no_panic, passphrase,
};

/// Set in the child process that runs without a Secret Service.
const NO_SECRET_SERVICE_MARKER: &str = "KLUIS_IT_NO_SECRET_SERVICE";
/// Printed by the child once it has checked the error, so the parent knows the
/// check ran (a test filter that matches nothing also exits with success).
const CHILD_CONFIRMATION: &str = "kluis-it-child: keyring unavailable confirmed";

/// Deletes one keyring entry on drop, even when an assertion failed.
struct EntryGuard<'a> {
    store: &'a KeyringDeviceSecretStore,
    id: &'a str,
}

impl Drop for EntryGuard<'_> {
    fn drop(&mut self) {
        let deleted = self.store.delete(self.id);
        if deleted.is_err() && !std::thread::panicking() {
            panic!("could not delete keyring entry {}: {deleted:?}", self.id);
        }
    }
}

#[test]
fn device_secret_round_trips_through_the_secret_service() {
    let store = KeyringDeviceSecretStore::new(KEYRING_SERVICE);
    let id = format!("it-round-trip-{}", uuid::Uuid::new_v4());
    let _guard = EntryGuard {
        store: &store,
        id: &id,
    };
    assert!(matches!(
        store.load(&id),
        Err(CoreError::DeviceSecretMissing)
    ));

    let secret = DeviceSecret::generate();
    store.store(&id, &secret).expect("store");
    let loaded = store.load(&id).expect("load");
    assert_eq!(loaded.expose_secret_bytes(), secret.expose_secret_bytes());
    let reloaded = KeyringDeviceSecretStore::new(KEYRING_SERVICE)
        .load(&id)
        .expect("load again");
    assert_eq!(reloaded.expose_secret_bytes(), secret.expose_secret_bytes());
    assert!(
        matches!(
            KeyringDeviceSecretStore::new("nl.kluis.test.elsewhere").load(&id),
            Err(CoreError::DeviceSecretMissing)
        ),
        "entries are kept per service"
    );

    let replacement = DeviceSecret::generate();
    store.store(&id, &replacement).expect("overwrite");
    assert_eq!(
        store.load(&id).expect("load").expose_secret_bytes(),
        replacement.expose_secret_bytes()
    );

    store.delete(&id).expect("delete");
    assert!(matches!(
        store.load(&id),
        Err(CoreError::DeviceSecretMissing)
    ));
    store
        .delete(&id)
        .expect("deleting a missing entry is not an error");
}

#[test]
fn unlock_without_the_device_secret_is_device_secret_missing() {
    let profile = TestProfile::new();
    profile.create_locked_with_client();
    let files = profile.files();
    let before = Snapshot::take(&files);
    profile
        .store()
        .delete(&profile.vault_id())
        .expect("delete entry");

    let kluis = profile.kluis();
    let error =
        no_panic("unlock", || kluis.unlock(&passphrase(PASSPHRASE))).expect_err("no device secret");
    assert!(matches!(error, CoreError::DeviceSecretMissing), "{error:?}");
    assert_eq!(error.code(), ErrorCode::DeviceSecretMissing);
    assert!(!kluis.status().unlocked);
    before.assert_unchanged(&files, "device secret deleted");
    assert!(
        !files.throttle().exists(),
        "not counted as a wrong passphrase"
    );
}

#[test]
fn profile_cleanup_deletes_vault_and_keyring_entry() {
    let profile = TestProfile::new();
    profile.create_locked_with_client();
    let id = profile.vault_id();
    let store = profile.store();
    store.load(&id).expect("the vault's entry exists");
    let directory = profile.path().to_owned();

    drop(profile);
    assert!(matches!(
        store.load(&id),
        Err(CoreError::DeviceSecretMissing)
    ));
    assert!(!directory.exists());
}

/// With the marker set (in the child process started below) there is no
/// Secret Service; without it this checks that creation works with one.
#[test]
fn create_vault_child() {
    let profile = TestProfile::new();
    let kluis = profile.kluis();
    let result = no_panic("create_vault", || {
        kluis.create_vault(&passphrase(PASSPHRASE), PRACTITIONER, Role::Psychologist)
    });
    if std::env::var_os(NO_SECRET_SERVICE_MARKER).is_some() {
        let error = result.expect_err("creating a vault needs the keyring");
        assert_eq!(error.code(), ErrorCode::KeyringUnavailable, "{error:?}");
        assert!(
            matches!(error, CoreError::KeyringUnavailable(_)),
            "{error:?}"
        );
        assert!(
            !kluis.status().vault_exists,
            "a failed creation leaves no vault"
        );
        assert!(!kluis.status().unlocked);
        println!("{CHILD_CONFIRMATION}");
    } else {
        result.expect("create with the Secret Service");
        profile.remember_vault_id();
        profile
            .store()
            .load(&profile.vault_id())
            .expect("the device secret is in the keyring");
        assert!(kluis.status().unlocked);
    }
}

#[test]
fn without_a_secret_service_create_vault_is_keyring_unavailable() {
    // libtest names tests by their path below the crate: `keyring::…`.
    let module = module_path!()
        .split_once("::")
        .map_or(module_path!(), |(_, rest)| rest);
    let child = format!("{module}::create_vault_child");
    let output = Command::new(std::env::current_exe().expect("test executable"))
        .args(["--exact", &child, "--nocapture", "--test-threads", "1"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .env(NO_SECRET_SERVICE_MARKER, "1")
        .output()
        .expect("run the child test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "child test failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(CHILD_CONFIRMATION) && stdout.contains("1 passed"),
        "child test did not run {child}:\n{stdout}\n{stderr}"
    );
}
