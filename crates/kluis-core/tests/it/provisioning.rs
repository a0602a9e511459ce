//! A device IT issued the old way (a directory with the device's key): the
//! vault takes the key in, and the key file is removed from the directory,
//! so that it is in the vault only.

use kluis_core::DeviceProvisioning;

use crate::support::{PASSPHRASE, TestProfile, passphrase};

/// A directory as `kluis-admin issue-device` writes it.
fn issued_directory() -> tempfile::TempDir {
    let directory = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| {
        std::fs::write(directory.path().join(name), text).expect("write");
    };
    write("server-url", "https://kluis.example.nl\n");
    write(
        "ca.pem",
        "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n",
    );
    write(
        "device.pem",
        "-----BEGIN CERTIFICATE-----\nREVWSUNF\n-----END CERTIFICATE-----\n",
    );
    write(
        "device.key.pem",
        "-----BEGIN PRIVATE KEY-----\nS0VZLUlOLUEtRklMRQ==\n-----END PRIVATE KEY-----\n",
    );
    write(
        "practitioner.json",
        r#"{"id":"p-anna","displayName":"Anna de Vries","role":"psychologist"}"#,
    );
    directory
}

#[test]
fn a_provisioned_key_moves_into_the_vault_and_its_file_is_removed() {
    let issued = issued_directory();
    let key_file = issued.path().join("device.key.pem");
    let key = std::fs::read_to_string(&key_file).expect("key");
    let profile = TestProfile::new();
    let kluis = profile.kluis();
    let provisioning = DeviceProvisioning::read(issued.path()).expect("read");
    kluis
        .create_vault_provisioned(&passphrase(PASSPHRASE), &provisioning)
        .expect("vault");

    assert!(kluis.connect_provisioned(issued.path()).is_ok());
    assert!(!key_file.exists(), "the key file is removed");
    assert_eq!(
        kluis
            .sync_identity()
            .expect("identity")
            .expect("kept")
            .key_pem
            .as_str(),
        key
    );
    // Again, with the file gone: nothing to import, nothing fails.
    assert!(!kluis.connect_provisioned(issued.path()).expect("again"));
    assert!(
        issued.path().join("device.pem").exists(),
        "the certificate stays"
    );
}

/// A vault made before the key was moved: the next unlock imports nothing
/// (it has the key) and still removes the file.
#[test]
fn a_vault_that_imported_the_key_before_removes_the_file_at_the_next_unlock() {
    let issued = issued_directory();
    let key_file = issued.path().join("device.key.pem");
    let profile = TestProfile::new();
    let kluis = profile.kluis();
    let provisioning = DeviceProvisioning::read(issued.path()).expect("read");
    kluis
        .create_vault_provisioned(&passphrase(PASSPHRASE), &provisioning)
        .expect("vault");
    assert!(key_file.exists(), "as an older app left it");
    kluis.lock();
    kluis.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    assert!(!kluis.connect_provisioned(issued.path()).expect("connect"));
    assert!(!key_file.exists());
}
