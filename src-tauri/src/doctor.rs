//! `kluis --doctor`: what IT runs on a machine after installing Kluis, to
//! see that it can work there, without opening a window or a vault.
//!
//! It checks the libraries (SQLCipher answers), the managed policy file (it
//! reads strictly, as at start), the CA (the policy's and the placed
//! enrollment token's agree) and the keyring (the Secret Service answers).
//! Each check prints one line; the exit code is non-zero when any failed.

use std::path::Path;

use kluis_core::profile::policy::read_policy_file;
use kluis_protocol::enrollment::EnrollmentToken;

use crate::LaunchOptions;

/// One check's verdict: `Ok(what was found)` or `Err(what is wrong)`.
type Verdict = Result<String, String>;

/// Runs every check, prints them, and returns whether all passed.
#[allow(clippy::print_stdout)]
pub fn run(options: &LaunchOptions) -> bool {
    println!("Kluis {}", env!("CARGO_PKG_VERSION"));
    let checks: [(&str, Verdict); 4] = [
        ("libraries", libraries()),
        ("policy", policy(&options.policy_file)),
        (
            "CA",
            certificate_authority(
                &options.policy_file,
                options.enrollment_token_file.as_deref(),
            ),
        ),
        ("keyring", keyring()),
    ];
    let mut healthy = true;
    for (name, verdict) in checks {
        match verdict {
            Ok(found) => println!("ok    {name}: {found}"),
            Err(problem) => {
                healthy = false;
                println!("FAIL  {name}: {problem}");
            }
        }
    }
    healthy
}

fn libraries() -> Verdict {
    // WebKitGTK and GTK are linked: had one been missing, this process would
    // not have started. SQLCipher is bundled; ask it to answer.
    kluis_core::vault::db::cipher_version()
        .map(|version| format!("WebKitGTK and GTK loaded, SQLCipher {version}"))
        .map_err(|error| format!("SQLCipher does not answer: {error}"))
}

fn policy(path: &Path) -> Verdict {
    match read_policy_file(path) {
        Ok(Some(policy)) => Ok(format!(
            "{} read, effective policy {}",
            path.display(),
            &policy.effective().hash()[..12]
        )),
        Ok(None) => Ok(format!(
            "no file at {}; Kluis's defaults apply",
            path.display()
        )),
        Err(error) => Err(error.to_string()),
    }
}

fn certificate_authority(policy_path: &Path, token_path: Option<&Path>) -> Verdict {
    let pinned = read_policy_file(policy_path)
        .ok()
        .flatten()
        .and_then(|policy| policy.ca_fingerprint);
    let token = match token_path.filter(|path| path.exists()) {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                format!(
                    "the enrollment token {} cannot be read: {error}",
                    path.display()
                )
            })?;
            Some(EnrollmentToken::decode(text.trim()).map_err(|error| {
                format!(
                    "the enrollment token {} is not one: {error}",
                    path.display()
                )
            })?)
        }
        None => None,
    };
    match (pinned, token) {
        (Some(pinned), Some(token)) if !pinned.eq_ignore_ascii_case(&token.ca_fingerprint) => Err(
            "the enrollment token names another CA than the policy; IT must make a new token"
                .to_owned(),
        ),
        (Some(pinned), _) => Ok(format!(
            "the policy pins CA {}…",
            &pinned[..16.min(pinned.len())]
        )),
        (None, Some(token)) => Ok(format!(
            "the placed enrollment token names CA {}… at {}",
            &token.ca_fingerprint[..16.min(token.ca_fingerprint.len())],
            token.store_url
        )),
        (None, None) => Ok("no CA pinned yet: the enrollment token IT gives names it".to_owned()),
    }
}

fn keyring() -> Verdict {
    kluis_core::KeyringDeviceSecretStore::default()
        .probe()
        .map(|()| "the Secret Service answers".to_owned())
        .map_err(|error| error.to_string())
}
