//! `kluis-admin`, IT's tool, run as IT runs it.

use std::path::Path;
use std::process::Command;

use kluis_server::sqlite::SqliteStore;
use kluis_server::store::Store;

/// Runs `kluis-admin` on a store directory: whether it succeeded, its
/// output and its error output.
pub(crate) fn admin(directory: &Path, arguments: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kluis-admin"))
        .arg("--dir")
        .arg(directory)
        .args(arguments)
        .output()
        .expect("kluis-admin runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    )
}

#[test]
fn it_prepares_a_store_enrolls_and_revokes_devices() {
    let directory = tempfile::tempdir().expect("tempdir");
    let store = directory.path();
    let (ok, _, error) = admin(store, &["init", "--organisation", "Voorbeeld GGZ"]);
    assert!(ok, "{error}");
    for file in [
        "ca/ca.pem",
        "ca/ca.key.pem",
        "server.pem",
        "server.key.pem",
        "store.db",
    ] {
        assert!(store.join(file).exists(), "{file}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.join("ca/ca.key.pem"))
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the CA key is readable by its owner only");
    }

    let (ok, practitioner, error) = admin(
        store,
        &[
            "add-practitioner",
            "--name",
            "Anna de Vries",
            "--role",
            "psychologist",
        ],
    );
    assert!(ok, "{error}");
    let out = store.join("laptop");
    let out_text = out.display().to_string();
    let (ok, device, error) = admin(
        store,
        &[
            "issue-device",
            "--practitioner",
            &practitioner,
            "--out",
            &out_text,
            "--server-url",
            "https://kluis.example.nl",
        ],
    );
    assert!(ok, "{error}");
    for file in ["device.pem", "device.key.pem", "ca.pem"] {
        assert!(out.join(file).exists(), "{file}");
    }
    let whom: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("practitioner.json")).expect("practitioner.json"),
    )
    .expect("json");
    assert_eq!(
        whom,
        serde_json::json!({"id": practitioner, "displayName": "Anna de Vries", "role": "psychologist"}),
        "the device learns whom it is for"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("server-url")).expect("server-url"),
        "https://kluis.example.nl"
    );

    let (ok, _, error) = admin(
        store,
        &[
            "assign",
            "--client",
            "client-1",
            "--practitioner",
            &practitioner,
        ],
    );
    assert!(ok, "{error}");
    let database = SqliteStore::open(&store.join("store.db")).expect("store");
    assert!(
        database
            .is_assigned("client-1", &practitioner)
            .expect("read"),
        "the assignment is kept"
    );
    drop(database);
    let (ok, listing, _) = admin(store, &["devices"]);
    assert!(ok);
    assert!(
        listing.contains(&device) && listing.contains("active"),
        "{listing}"
    );

    let (ok, _, error) = admin(store, &["revoke", "--device", &device]);
    assert!(ok, "{error}");
    assert!(
        store.join("crl.pem").exists(),
        "the revocation list is written"
    );
    let (_, listing, _) = admin(store, &["devices"]);
    assert!(!listing.contains("active"), "{listing}");
}

#[test]
fn mistakes_get_a_clear_message_and_change_nothing() {
    let directory = tempfile::tempdir().expect("tempdir");
    let store = directory.path();
    assert!(admin(store, &["init", "--organisation", "Voorbeeld GGZ"]).0);
    let ca_before = std::fs::read(store.join("ca").join("ca.pem")).expect("ca");
    let (ok, _, error) = admin(store, &["init", "--organisation", "Andere GGZ"]);
    assert!(!ok, "a second init is refused");
    assert!(error.contains("already holds a CA"), "{error}");
    assert_eq!(
        std::fs::read(store.join("ca").join("ca.pem")).expect("ca"),
        ca_before,
        "the CA is untouched"
    );

    let (ok, _, error) = admin(
        store,
        &["add-practitioner", "--name", "X", "--role", "chef"],
    );
    assert!(!ok);
    assert!(error.contains("role"), "{error}");

    let (ok, _, error) = admin(store, &["revoke", "--device", "no-such-device"]);
    assert!(!ok);
    assert_eq!(error, "kluis-admin: device not found");

    let out = store.join("ghost").display().to_string();
    let (ok, _, error) = admin(
        store,
        &[
            "issue-device",
            "--practitioner",
            "no-such-practitioner",
            "--out",
            &out,
        ],
    );
    assert!(!ok, "a device for an unknown practitioner is refused");
    assert!(error.starts_with("kluis-admin:"), "{error}");
    assert!(!store.join("ghost").exists(), "no key was written");
    let (_, listing, _) = admin(store, &["devices"]);
    assert_eq!(
        listing.lines().count(),
        1,
        "nothing was enrolled, only the heading is shown: {listing}"
    );
    let (ok, _, error) = admin(store, &["wipe", "--device", "no-such-device"]);
    assert!(!ok);
    assert_eq!(error, "kluis-admin: device not found");
    std::fs::write(
        store.join("policy.json"),
        r#"{"max_idle_lock_seconds": "soon"}"#,
    )
    .expect("policy");
    let policy = store.join("policy.json").display().to_string();
    let (ok, _, error) = admin(store, &["devices", "--policy", &policy]);
    assert!(!ok, "a policy file IT cannot deploy is not compared with");
    assert!(
        error.contains("max_idle_lock_seconds: wrong type"),
        "the message names the key: {error}"
    );
}

/// `kluis-admin wipe` marks a device and the history says so; a revoked
/// device cannot be reached to wipe, and IT is told; `devices --policy`
/// marks a device whose reported policy differs from the file.
#[test]
fn wipe_marks_a_device_and_devices_shows_state_contact_and_policy() {
    let directory = tempfile::tempdir().expect("tempdir");
    let store = directory.path();
    assert!(admin(store, &["init", "--organisation", "Voorbeeld GGZ"]).0);
    let (_, practitioner, _) = admin(
        store,
        &[
            "add-practitioner",
            "--name",
            "Anna",
            "--role",
            "psychologist",
        ],
    );
    let practitioner = practitioner.trim().to_owned();
    let mut devices = Vec::new();
    for name in ["one", "two"] {
        let out = store.join(name).display().to_string();
        let (ok, device, error) = admin(
            store,
            &[
                "issue-device",
                "--practitioner",
                &practitioner,
                "--out",
                &out,
            ],
        );
        assert!(ok, "{error}");
        devices.push(device.trim().to_owned());
    }
    let (ok, said, error) = admin(store, &["wipe", "--device", &devices[0]]);
    assert!(ok, "{error}");
    assert!(said.contains("last contact: never"), "{said}");
    let (_, history, _) = admin(store, &["history", "--device", &devices[0]]);
    assert!(history.contains("wipe pending"), "{history}");
    assert!(history.contains("\twipe_requested\tby IT"), "{history}");

    assert!(admin(store, &["revoke", "--device", &devices[1]]).0);
    let (ok, _, error) = admin(store, &["wipe", "--device", &devices[1]]);
    assert!(!ok, "a revoked device cannot be asked to wipe");
    assert!(error.contains("can no longer be reached"), "{error}");

    // One device reports the policy IT deploys, the other another one.
    let policy = r#"{"max_idle_lock_seconds": 60}"#;
    std::fs::write(store.join("policy.json"), policy).expect("policy");
    let deployed = kluis_protocol::managed::ManagedPolicy::parse(policy)
        .expect("policy")
        .effective()
        .hash();
    let database = SqliteStore::open(&store.join("store.db")).expect("store");
    database
        .record_contact(&devices[0], Some(&deployed))
        .expect("contact");
    let other = kluis_protocol::managed::EffectivePolicy::default().hash();
    database
        .record_contact(&devices[1], Some(&other))
        .expect("contact");
    drop(database);
    let file = store.join("policy.json").display().to_string();
    let (ok, listing, error) = admin(store, &["devices", "--policy", &file]);
    assert!(ok, "{error}");
    let row = |device: &str| -> Vec<String> {
        listing
            .lines()
            .map(|line| line.split('\t').map(str::to_owned).collect::<Vec<_>>())
            .find(|columns| columns[0] == device)
            .unwrap_or_else(|| panic!("{device} listed: {listing}"))
    };
    let first = row(&devices[0]);
    assert_eq!(first[4], "wipe pending");
    assert_ne!(first[3], "never", "the contact is shown");
    assert_eq!(first[5], deployed[..12]);
    let second = row(&devices[1]);
    assert_eq!(second[4], "revoked");
    assert_eq!(second[5], format!("{} (differs)", &other[..12]));
}

/// `kluis-admin enroll` prints a token a device can read; the store keeps
/// no secret; a token for an unknown practitioner, with an address that is
/// not https, or with no time to live is refused with a message.
#[test]
fn enroll_prints_a_one_time_token_and_refuses_what_cannot_enroll() {
    let directory = tempfile::tempdir().expect("tempdir");
    let store = directory.path();
    assert!(admin(store, &["init", "--organisation", "Voorbeeld GGZ"]).0);
    let (ok, practitioner, error) = admin(
        store,
        &[
            "add-practitioner",
            "--name",
            "Anna de Vries",
            "--role",
            "psychologist",
        ],
    );
    assert!(ok, "{error}");
    let enroll = |device: &str, who: &str, url: &str, minutes: &str| {
        admin(
            store,
            &[
                "enroll",
                "--practitioner",
                who,
                "--device",
                device,
                "--server-url",
                url,
                "--minutes",
                minutes,
            ],
        )
    };

    let (ok, printed, error) = enroll(
        "anna-laptop",
        &practitioner,
        "https://kluis.example.nl",
        "30",
    );
    assert!(ok, "{error}");
    assert!(error.contains("valid until"), "{error}");
    let token = kluis_protocol::enrollment::EnrollmentToken::decode(&printed).expect("a token");
    assert_eq!(token.device_id, "anna-laptop");
    assert_eq!(token.store_url, "https://kluis.example.nl");
    let ca = std::fs::read_to_string(store.join("ca/ca.pem")).expect("ca");
    let ca_der = rustls_pki_types::pem::PemObject::from_pem_slice(ca.as_bytes())
        .map(|der: rustls_pki_types::CertificateDer<'_>| der.to_vec())
        .expect("ca der");
    assert_eq!(
        token.ca_fingerprint,
        kluis_server::pki::fingerprint(&ca_der)
    );
    let database = std::fs::read(store.join("store.db")).expect("database");
    assert!(
        !database
            .windows(token.secret.len())
            .any(|window| window == token.secret.as_bytes()),
        "the store keeps the secret's hash, not the secret"
    );

    for (device, who, url, minutes, expected) in [
        (
            "anna-tablet",
            "no-such-practitioner",
            "https://kluis.example.nl",
            "60",
            "practitioner not found",
        ),
        (
            "anna-tablet",
            practitioner.as_str(),
            "http://kluis.example.nl",
            "60",
            "https://",
        ),
        (
            "anna-tablet",
            practitioner.as_str(),
            "https://kluis.example.nl",
            "0",
            "lifetime",
        ),
    ] {
        let (ok, printed, error) = enroll(device, who, url, minutes);
        assert!(!ok, "{device} {who} {url} {minutes}: {printed}");
        assert!(printed.is_empty(), "no token on a refusal: {printed}");
        assert!(
            error.starts_with("kluis-admin:") && error.contains(expected),
            "{error}"
        );
    }
}
