//! An altered, swapped or damaged vault gives a typed error, is not written to
//! and does not make the core panic.

use kluis_core::record::practitioner::Role;
use kluis_core::{CoreError, ErrorCode, Profile};

use crate::support::{
    PAGE_SIZE, PASSPHRASE, Snapshot, TestProfile, edit_header, flip_byte, no_panic, passphrase,
    sample_client,
};

/// Unlocks a fresh facade and returns the error; checks that it stays locked.
fn unlock_error(profile: &TestProfile) -> CoreError {
    let kluis = profile.kluis();
    let result = no_panic("unlock", || kluis.unlock(&passphrase(PASSPHRASE)));
    assert!(
        !kluis.status().unlocked,
        "a failed unlock leaves the profile locked"
    );
    result.expect_err("the altered vault must not unlock")
}

/// Replaces one hex digit by another, so the value stays well-formed hex.
fn change_hex_digit(value: &mut serde_json::Value) {
    let text = value.as_str().expect("hex string").to_owned();
    let first = if text.starts_with('0') { '1' } else { '0' };
    *value = serde_json::Value::String(format!("{first}{}", &text[1..]));
}

#[test]
fn edited_header_fields_are_header_tampered() {
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 10] = [
        ("argon2.memory_kib", |json| {
            let memory = json["body"]["argon2"]["memory_kib"]
                .as_u64()
                .expect("memory");
            json["body"]["argon2"]["memory_kib"] = (memory + 1024).into();
        }),
        ("argon2.iterations", |json| {
            json["body"]["argon2"]["iterations"] = 3.into()
        }),
        ("wrapped_data_key", |json| {
            change_hex_digit(&mut json["body"]["wrapped_data_key"])
        }),
        ("wrap_nonce", |json| {
            change_hex_digit(&mut json["body"]["wrap_nonce"])
        }),
        ("passphrase_salt", |json| {
            change_hex_digit(&mut json["body"]["passphrase_salt"])
        }),
        ("database_salt", |json| {
            change_hex_digit(&mut json["body"]["database_salt"])
        }),
        ("sqlcipher.page_size", |json| {
            json["body"]["sqlcipher"]["page_size"] = 16384.into()
        }),
        ("created_at", |json| {
            json["body"]["created_at"] = "2020-01-01T00:00:00Z".into()
        }),
        ("mac", |json| change_hex_digit(&mut json["mac"])),
        ("unknown field", |json| json["body"]["extra"] = true.into()),
    ];
    let profile = TestProfile::new();
    let client_id = profile.create_locked_with_client();
    let files = profile.files();
    let original = std::fs::read(files.header()).expect("header");

    for (field, edit) in edits {
        edit_header(&files, edit);
        let altered = Snapshot::take(&files);
        let error = unlock_error(&profile);
        assert!(
            matches!(error, CoreError::HeaderTampered(_)),
            "{field}: {error:?}"
        );
        assert_eq!(error.code(), ErrorCode::HeaderTampered);
        altered.assert_unchanged(&files, field);
        std::fs::write(files.header(), &original).expect("restore header");
    }
    assert!(
        !files.throttle().exists(),
        "tampering is not counted as a wrong passphrase"
    );

    // Nothing was damaged by the attempts.
    let kluis = profile.kluis();
    kluis
        .unlock(&passphrase(PASSPHRASE))
        .expect("the restored header unlocks");
    kluis.get_client(&client_id).expect("data intact");
}

#[test]
fn header_that_is_not_json_is_header_tampered() {
    let profile = TestProfile::new();
    profile.create_locked_with_client();
    let files = profile.files();
    for damaged in [
        &b"{ this is not json"[..],
        b"",
        b"null",
        b"{\"body\": {\"format_version\": 1}}",
    ] {
        std::fs::write(files.header(), damaged).expect("write header");
        let altered = Snapshot::take(&files);
        let error = unlock_error(&profile);
        assert!(
            matches!(error, CoreError::HeaderTampered(_)),
            "{:?}: {error:?}",
            String::from_utf8_lossy(damaged)
        );
        altered.assert_unchanged(&files, "invalid header");
    }
}

#[test]
fn newer_header_version_is_unsupported() {
    let profile = TestProfile::new();
    profile.create_locked_with_client();
    let files = profile.files();
    edit_header(&files, |json| json["body"]["format_version"] = 99.into());
    let altered = Snapshot::take(&files);

    let error = unlock_error(&profile);
    assert!(
        matches!(error, CoreError::UnsupportedVaultVersion(99)),
        "{error:?}"
    );
    assert_eq!(error.code(), ErrorCode::UnsupportedVaultVersion);
    altered.assert_unchanged(&files, "format_version 99");
}

#[test]
fn header_of_another_vault_is_foreign() {
    let profile = TestProfile::new();
    profile.create_locked_with_client();
    let other = TestProfile::new();
    other.create_locked_with_client();
    let files = profile.files();
    let original = std::fs::read(files.header()).expect("header");

    std::fs::copy(other.files().header(), files.header()).expect("swap header");
    let swapped = Snapshot::take(&files);
    let error = unlock_error(&profile);
    assert!(matches!(error, CoreError::HeaderForeign), "{error:?}");
    assert_eq!(error.code(), ErrorCode::HeaderForeign);
    swapped.assert_unchanged(&files, "foreign header");

    // The other way round: this header with the other vault's database.
    std::fs::write(files.header(), &original).expect("restore header");
    std::fs::copy(other.files().database(), files.database()).expect("swap database");
    let swapped = Snapshot::take(&files);
    let error = unlock_error(&profile);
    assert!(matches!(error, CoreError::HeaderForeign), "{error:?}");
    swapped.assert_unchanged(&files, "foreign database");
}

#[test]
fn altered_first_page_is_database_tampered_at_unlock() {
    let profile = TestProfile::new();
    profile.create_locked_with_client();
    let files = profile.files();
    flip_byte(&files.database(), 100);
    let altered = Snapshot::take(&files);

    let error = unlock_error(&profile);
    assert!(matches!(error, CoreError::DatabaseTampered), "{error:?}");
    assert_eq!(error.code(), ErrorCode::DatabaseTampered);
    altered.assert_unchanged(&files, "page 1 flipped");
}

/// Unlocks and reads every client; returns the first error.
fn unlock_and_read_everything(kluis: &Profile) -> Result<usize, CoreError> {
    kluis.unlock(&passphrase(PASSPHRASE))?;
    let clients = kluis.list_clients()?;
    for client in &clients {
        kluis.get_client(&client.id)?;
    }
    Ok(clients.len())
}

/// Makes a vault of many pages (300 clients with long remarks: about 200
/// pages of 4 KiB), flips one byte at `offset(file length)`, then unlocks and
/// reads every client. Checks that the files were not written to and returns
/// the outcome of the reads.
fn read_after_flipping(offset: impl FnOnce(usize) -> usize) -> Result<usize, CoreError> {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let remarks = "Lange aantekening over het verloop van de begeleiding. ".repeat(30);
    for number in 0..300 {
        let mut client = sample_client(&format!("Client {number}"));
        client.remarks = remarks.clone();
        kluis.create_client(client).expect("create client");
    }
    assert_eq!(kluis.list_clients().expect("list").len(), 300);
    kluis.lock();
    drop(kluis);
    let files = profile.files();
    let length = std::fs::read(files.database()).expect("database").len();
    assert!(length >= 20 * PAGE_SIZE, "only {length} bytes");
    assert_eq!(
        length % PAGE_SIZE,
        0,
        "whole pages of the vault's page size"
    );

    let offset = offset(length);
    flip_byte(&files.database(), offset);
    let altered = Snapshot::take(&files);
    let kluis = profile.kluis();
    let result = no_panic("unlock and read", || unlock_and_read_everything(&kluis));
    kluis.lock();
    altered.assert_unchanged(&files, &format!("byte {offset} flipped"));
    result
}

/// Page 10 and the last page hold client rows, which listing and reading the
/// clients must decrypt and verify.
#[test]
fn altered_client_pages_are_database_tampered_when_read() {
    type Offset = fn(usize) -> usize;
    let pages: [(&str, Offset); 2] = [
        ("page 10", |_| PAGE_SIZE * 9 + 500),
        ("last page", |length| length - PAGE_SIZE + 500),
    ];
    for (page, offset) in pages {
        let error = read_after_flipping(offset).expect_err(page);
        assert!(
            matches!(error, CoreError::DatabaseTampered),
            "{page}: {error:?}"
        );
    }
}

/// Page 3 is the root of the practitioner table's primary-key index: no
/// unlock, list or get reads it, so an alteration there is only found if the
/// core verifies the pages it does not otherwise read.
#[test]
fn altered_page_three_is_database_tampered_at_unlock_or_first_read() {
    let result = read_after_flipping(|_| PAGE_SIZE * 2 + 500);
    let error = result.expect_err("an altered page must be detected before the vault is used");
    assert!(matches!(error, CoreError::DatabaseTampered), "{error:?}");
}
