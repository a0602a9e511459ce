//! The app binary as IT runs it from a terminal: `--version`, `--doctor`,
//! and a policy file that stops the app before any window, with a message
//! naming the key at fault. (The installed package runs the same checks from
//! `/usr/bin` in `scripts/package-test.sh`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn kluis(arguments: &[&str], policy: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kluis"))
        .args(arguments)
        .env("KLUIS_POLICY_FILE", policy)
        .env_remove("KLUIS_ENROLLMENT_TOKEN_FILE")
        // No display: a window the app tried to open would fail the test
        // with a GTK error instead of the policy's message.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the app binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn version_names_the_package_version() {
    let output = kluis(
        &["--version"],
        std::path::Path::new("/nonexistent/policy.json"),
    );
    assert!(output.status.success());
    assert_eq!(
        text(&output.stdout).trim(),
        format!("kluis {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_policy_file_with_an_unknown_key_or_a_wrong_type_stops_the_app_naming_the_key() {
    let directory = tempfile::tempdir().unwrap();
    let policy = directory.path().join("policy.json");
    for (content, named) in [
        (
            r#"{"max_idle_lock_seconds": 60, "screen_saver": true}"#,
            "screen_saver: is not a key Kluis knows",
        ),
        (
            r#"{"lock_on_minimize": "yes"}"#,
            "lock_on_minimize: wrong type",
        ),
        (
            r#"{"max_idle_lock_seconds": 3600}"#,
            "max_idle_lock_seconds: 3600 is outside what Kluis allows",
        ),
    ] {
        std::fs::write(&policy, content).unwrap();
        let started = kluis(&[], &policy);
        assert!(!started.status.success(), "{content}: the app did not stop");
        let said = text(&started.stderr);
        assert!(
            said.contains(&format!(
                "kluis: the managed policy {} is refused: {named}",
                policy.display()
            )),
            "{content}: {said}"
        );

        let doctor = kluis(&["--doctor"], &policy);
        assert!(!doctor.status.success(), "{content}: the doctor passed it");
        let report = text(&doctor.stdout);
        assert!(report.contains("FAIL  policy:"), "{report}");
        assert!(report.contains(named), "{report}");
    }
}

#[test]
fn the_doctor_reads_a_valid_policy_and_checks_libraries_and_keyring() {
    let directory = tempfile::tempdir().unwrap();
    let policy = directory.path().join("policy.json");
    std::fs::write(
        &policy,
        r#"{"max_idle_lock_seconds": 120, "offline_grace_days": 14}"#,
    )
    .unwrap();
    let doctor = kluis(&["--doctor"], &policy);
    let report = text(&doctor.stdout);
    assert!(
        report.contains("ok    libraries: WebKitGTK and GTK loaded, SQLCipher 4."),
        "{report}"
    );
    assert!(report.contains("ok    policy:"), "{report}");
    assert!(report.contains("ok    CA:"), "{report}");
    // Run under `scripts/with-keyring.sh` the Secret Service answers.
    assert!(
        report.contains("ok    keyring: the Secret Service answers"),
        "{report}"
    );
    assert!(doctor.status.success(), "{report}");
}
