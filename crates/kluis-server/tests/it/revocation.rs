//! Revocation with the real binaries, as IT uses them: `kluis-admin revoke`
//! while `kluis-server` runs; a store that knows revoked devices will not
//! start without a revocation list; a stale list is reported; a device's
//! wipe receipt revokes it in the running store's list, and a restarted
//! store starts with it.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kluis_server::pki::{CertificateAuthority, StoreFiles, write_file};

use crate::support::{client_tls_config, off_runtime};

/// Runs `kluis-admin` on the store's database (`--postgres …`, or none for
/// SQLite), which must succeed; returns its output.
fn admin(directory: &Path, database: &[String], arguments: &[&str]) -> String {
    let mut all: Vec<&str> = database.iter().map(String::as_str).collect();
    all.extend_from_slice(arguments);
    let (ok, output, error) = crate::admin::admin(directory, &all);
    assert!(ok, "kluis-admin {arguments:?}: {error}");
    output
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// The store prepared by IT with Anna and two of her devices; returns the
/// device ids.
fn prepared_store(directory: &Path, database: &[String]) -> (String, String) {
    admin(
        directory,
        database,
        &["init", "--organisation", "Voorbeeld GGZ"],
    );
    admin(
        directory,
        database,
        &[
            "add-practitioner",
            "--id",
            "anna",
            "--name",
            "Anna de Vries",
            "--role",
            "psychologist",
        ],
    );
    let mut ids = ["laptop", "tablet"].map(|name| {
        let out = directory.join(name).display().to_string();
        admin(
            directory,
            database,
            &["issue-device", "--practitioner", "anna", "--out", &out],
        )
    });
    let tablet = std::mem::take(&mut ids[1]);
    (std::mem::take(&mut ids[0]), tablet)
}

/// A running `kluis-server`, killed on drop; its log goes to a file.
struct RunningStore {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Drop for RunningStore {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl RunningStore {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// The store's database for a test: SQLite in the store's directory (no
/// arguments), or a new database on the test cluster (`--postgres …`).
fn database(postgres: bool) -> Vec<String> {
    if !postgres {
        return Vec::new();
    }
    off_runtime(|| {
        let cluster = std::env::var("KLUIS_TEST_POSTGRES")
            .expect("KLUIS_TEST_POSTGRES: run the tests through scripts/with-postgres.sh");
        let name = format!("kluis_revocation_{}", uuid::Uuid::new_v4().simple());
        postgres::Client::connect(&format!("{cluster} dbname=postgres"), postgres::NoTls)
            .expect("connect")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        vec!["--postgres".to_owned(), format!("{cluster} dbname={name}")]
    })
}

fn start_store(directory: &Path, database: &[String]) -> RunningStore {
    let port = free_port();
    let log = directory.join(format!("server-{port}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_kluis-server"))
        .arg("--dir")
        .arg(directory)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(database)
        .env("RUST_LOG", "info")
        .stdout(std::fs::File::create(&log).expect("log"))
        .stderr(Stdio::null())
        .spawn()
        .expect("kluis-server runs");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the store did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    RunningStore { child, port, log }
}

/// A fresh client (no pooled connection) for the device issued into `dir`.
fn device_client(dir: &Path) -> reqwest::Client {
    let read = |name: &str| std::fs::read(dir.join(name)).expect(name);
    let config = client_tls_config(
        &read("ca.pem"),
        Some((&read("device.pem"), &read("device.key.pem"))),
    );
    reqwest::Client::builder()
        .use_preconfigured_tls(config)
        .build()
        .expect("client")
}

/// `Ok(status)` when the store answered, `Err` when the handshake failed.
async fn whoami(store: &RunningStore, dir: &Path) -> Result<u16, String> {
    device_client(dir)
        .get(format!("https://127.0.0.1:{}/v1/whoami", store.port))
        .send()
        .await
        .map(|response| response.status().as_u16())
        .map_err(|error| format!("{error:?}"))
}

/// Whether the store refused the device in the TLS handshake because its
/// certificate is on the revocation list (rustls's alert, not the 403 the
/// store's own check answers with).
fn refused_as_revoked(answer: &Result<u16, String>) -> bool {
    matches!(answer, Err(error) if error.contains("AlertReceived(CertificateRevoked)"))
}

async fn a_device_revoked_while_the_store_runs_is_refused_at_its_next_handshake(postgres: bool) {
    let directory = tempfile::tempdir().expect("tempdir");
    let root = directory.path();
    let database = database(postgres);
    let (laptop, _tablet) = prepared_store(root, &database);
    let store = start_store(root, &database);
    assert_eq!(whoami(&store, &root.join("laptop")).await, Ok(200));

    admin(root, &database, &["revoke", "--device", &laptop]);
    let revoked_at = Instant::now();
    let refused = loop {
        match whoami(&store, &root.join("laptop")).await {
            Err(error) => break Err(error),
            Ok(status) => {
                // Until the list is loaded, the store's own check answers.
                assert_eq!(status, 403, "a revoked device is never served");
                assert!(
                    revoked_at.elapsed() < Duration::from_secs(10),
                    "the running store never took the new revocation list:\n{}",
                    store.log()
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    assert!(
        refused_as_revoked(&refused),
        "refused in the handshake: {refused:?}"
    );
    assert_eq!(
        whoami(&store, &root.join("tablet")).await,
        Ok(200),
        "another device still gets in"
    );
    assert!(
        store.log().contains("revocation list loaded"),
        "{}",
        store.log()
    );
}

async fn a_store_with_revoked_devices_will_not_start_without_its_revocation_list(postgres: bool) {
    let directory = tempfile::tempdir().expect("tempdir");
    let root = directory.path();
    let database = database(postgres);
    let (laptop, _tablet) = prepared_store(root, &database);
    admin(root, &database, &["revoke", "--device", &laptop]);
    std::fs::remove_file(root.join("crl.pem")).expect("remove the list");
    let log = root.join("refused.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kluis-server"))
        .arg("--dir")
        .arg(root)
        .args(["--listen", &format!("127.0.0.1:{}", free_port())])
        .args(&database)
        .stdout(std::fs::File::create(&log).expect("log"))
        .stderr(Stdio::null())
        .spawn()
        .expect("kluis-server runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the store started without its revocation list");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!status.success(), "it refuses to start");
    let said = std::fs::read_to_string(&log).expect("log");
    assert!(
        said.contains("1 device(s) are revoked but there is no revocation list"),
        "{said}"
    );
    // `kluis-admin crl` writes it again, and the store starts.
    admin(root, &database, &["crl"]);
    let store = start_store(root, &database);
    let answer = whoami(&store, &root.join("laptop")).await;
    assert!(refused_as_revoked(&answer), "{answer:?}");
}

/// The device in `dir` (issued by `kluis-admin issue-device`) reports that
/// it erased itself, with a receipt signed by its key, over a connection
/// without a client certificate (as a wiped device, whose key is gone).
async fn report_wipe(store: &RunningStore, dir: &Path, device_id: &str) -> u16 {
    use base64::Engine as _;
    use rustls_pki_types::PrivateKeyDer;
    use rustls_pki_types::pem::PemObject;
    let read = |name: &str| std::fs::read(dir.join(name)).expect(name);
    let receipt = serde_json::to_string(&kluis_protocol::wipe::WipeReceipt {
        device_id: device_id.to_owned(),
        reason: kluis_protocol::wipe::WipeReason::Remote,
        wiped_at: "2026-12-02T09:00:00Z".to_owned(),
        erased: vec!["vault database".to_owned()],
    })
    .expect("receipt");
    let key = PrivateKeyDer::from_pem_slice(&read("device.key.pem")).expect("key");
    let signer = rustls::crypto::ring::sign::any_supported_type(&key)
        .expect("signing key")
        .choose_scheme(&[rustls::SignatureScheme::ECDSA_NISTP256_SHA256])
        .expect("scheme");
    let signature = signer.sign(receipt.as_bytes()).expect("signed");
    let report = kluis_protocol::wipe::WipeReport {
        receipt,
        certificate_pem: String::from_utf8(read("device.pem")).expect("pem"),
        signature: Some(base64::engine::general_purpose::STANDARD.encode(signature)),
        scheme: Some(u16::from(signer.scheme())),
    };
    reqwest::Client::builder()
        .use_preconfigured_tls(client_tls_config(&read("ca.pem"), None))
        .build()
        .expect("client")
        .post(format!("https://127.0.0.1:{}/v1/wipe-report", store.port))
        .json(&report)
        .send()
        .await
        .expect("answer")
        .status()
        .as_u16()
}

async fn a_wipe_receipt_puts_the_device_on_the_running_stores_list_and_a_restart_keeps_it(
    postgres: bool,
) {
    let directory = tempfile::tempdir().expect("tempdir");
    let root = directory.path();
    let database = database(postgres);
    let (laptop, _tablet) = prepared_store(root, &database);
    let store = start_store(root, &database);
    admin(root, &database, &["wipe", "--device", &laptop]);
    assert_eq!(
        report_wipe(&store, &root.join("laptop"), &laptop).await,
        200
    );

    let reported_at = Instant::now();
    let refused = loop {
        match whoami(&store, &root.join("laptop")).await {
            Err(error) => break Err(error),
            Ok(status) => {
                assert_eq!(status, 403, "a wiped device is never served");
                assert!(
                    reported_at.elapsed() < Duration::from_secs(10),
                    "the running store never put the wiped device on its list:\n{}",
                    store.log()
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    assert!(refused_as_revoked(&refused), "{refused:?}");
    assert_eq!(whoami(&store, &root.join("tablet")).await, Ok(200));
    let listing = admin(root, &database, &["devices"]);
    assert!(
        listing
            .lines()
            .any(|line| line.starts_with(&laptop) && line.contains("\twiped\t")),
        "{listing}"
    );

    // A restarted store finds the wiped device on its list.
    drop(store);
    let restarted = start_store(root, &database);
    let answer = whoami(&restarted, &root.join("laptop")).await;
    assert!(refused_as_revoked(&answer), "{answer:?}");
    assert_eq!(whoami(&restarted, &root.join("tablet")).await, Ok(200));
}

#[tokio::test]
async fn a_stale_revocation_list_is_reported() {
    let directory = tempfile::tempdir().expect("tempdir");
    let root = directory.path();
    prepared_store(root, &[]);
    let files = StoreFiles::new(root);
    let ca = CertificateAuthority::load(&files.ca_directory()).expect("ca");
    let now = time::OffsetDateTime::now_utc();
    let stale = ca
        .revocation_list_valid(
            &[],
            now - time::Duration::days(10),
            now - time::Duration::days(3),
        )
        .expect("list");
    write_file(&files.revocation_list(), stale.as_bytes(), false).expect("write");
    let store = start_store(root, &[]);
    let log = store.log();
    assert!(log.contains("the revocation list is stale"), "{log}");
    assert_eq!(
        whoami(&store, &root.join("laptop")).await,
        Ok(200),
        "a stale list is reported, not a reason to refuse everyone"
    );
}

/// The scenarios above that touch the database, on each back end.
mod on_each_back_end {
    #[tokio::test]
    async fn sqlite_a_wipe_receipt_revokes_in_the_running_stores_list() {
        super::a_wipe_receipt_puts_the_device_on_the_running_stores_list_and_a_restart_keeps_it(
            false,
        )
        .await;
    }

    #[tokio::test]
    async fn postgres_a_wipe_receipt_revokes_in_the_running_stores_list() {
        super::a_wipe_receipt_puts_the_device_on_the_running_stores_list_and_a_restart_keeps_it(
            true,
        )
        .await;
    }

    #[tokio::test]
    async fn sqlite_a_device_revoked_while_the_store_runs_is_refused() {
        super::a_device_revoked_while_the_store_runs_is_refused_at_its_next_handshake(false).await;
    }

    #[tokio::test]
    async fn postgres_a_device_revoked_while_the_store_runs_is_refused() {
        super::a_device_revoked_while_the_store_runs_is_refused_at_its_next_handshake(true).await;
    }

    #[tokio::test]
    async fn sqlite_no_start_without_the_revocation_list() {
        super::a_store_with_revoked_devices_will_not_start_without_its_revocation_list(false).await;
    }

    #[tokio::test]
    async fn postgres_no_start_without_the_revocation_list() {
        super::a_store_with_revoked_devices_will_not_start_without_its_revocation_list(true).await;
    }
}
