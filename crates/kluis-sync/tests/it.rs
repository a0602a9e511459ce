//! The sync client against a real store on port 0: the store it trusts, the
//! regions it accepts, and what the app is told when something is wrong.
// Test helpers outside #[test] functions panic on setup failure by design.
#![allow(clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::Arc;

use kluis_protocol::records::ClientRecord;
use kluis_protocol::{Action, ChangePayload, Operation, Outcome, Record};
use kluis_server::pki::{CertificateAuthority, IssuedCertificate};
use kluis_server::server::{self, AppState, RunningServer};
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::{Device, Practitioner, Role, Store};
use kluis_sync::{SyncClient, SyncConfig, SyncError};
use zeroize::Zeroizing;

struct Store_ {
    _directory: tempfile::TempDir,
    ca: CertificateAuthority,
    store: Arc<SqliteStore>,
    tls: Arc<rustls::ServerConfig>,
    server: Option<RunningServer>,
    address: SocketAddr,
}

async fn start_store(region: &str) -> Store_ {
    let directory = tempfile::tempdir().expect("tempdir");
    let ca = CertificateAuthority::create("Voorbeeld GGZ").expect("ca");
    let certificate = ca
        .issue_server(&["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("server certificate");
    let tls = server::tls_config(
        &ca.certificate_pem(),
        &certificate.certificate_pem,
        &certificate.key_pem,
    )
    .expect("tls");
    let store = Arc::new(SqliteStore::open(&directory.path().join("store.db")).expect("store"));
    store
        .add_practitioner(&Practitioner {
            id: "anna".to_owned(),
            display_name: "Anna de Vries".to_owned(),
            role: Role::Psychologist,
        })
        .expect("practitioner");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let server = serve(listener, &tls, &store, region);
    Store_ {
        _directory: directory,
        ca,
        store,
        tls,
        server: Some(server),
        address,
    }
}

fn serve(
    listener: tokio::net::TcpListener,
    tls: &Arc<rustls::ServerConfig>,
    store: &Arc<SqliteStore>,
    region: &str,
) -> RunningServer {
    server::start(
        listener,
        Arc::clone(tls),
        Arc::new(AppState {
            store: Arc::clone(store),
            region: region.to_owned(),
        }),
    )
    .expect("start")
}

impl Store_ {
    fn enroll(&self, device_id: &str) -> IssuedCertificate {
        let issued = self.ca.issue_device(device_id).expect("certificate");
        self.register(device_id, &issued);
        issued
    }

    fn register(&self, device_id: &str, issued: &IssuedCertificate) {
        self.store
            .add_device(&Device {
                id: device_id.to_owned(),
                practitioner_id: "anna".to_owned(),
                cert_fingerprint: issued.fingerprint.clone(),
                created_at: "2026-11-25T08:00:00Z".to_owned(),
                revoked_at: None,
                wipe_requested: false,
            })
            .expect("device");
    }

    fn client(&self, identity: &IssuedCertificate) -> SyncClient {
        self.client_trusting(&self.ca.certificate_pem(), identity)
    }

    fn client_trusting(&self, ca_pem: &str, identity: &IssuedCertificate) -> SyncClient {
        SyncClient::new(SyncConfig::new(
            format!("https://127.0.0.1:{}", self.address.port()),
            ca_pem,
            identity.certificate_pem.clone(),
            Zeroizing::new(identity.key_pem.clone()),
        ))
        .expect("client")
    }
}

fn client_record() -> Record {
    Record::Client(ClientRecord {
        id: "client-1".to_owned(),
        client_code: "C-7K3F9".to_owned(),
        first_name: "Noor".to_owned(),
        last_name: None,
        email: "noor@example.nl".to_owned(),
        birth_year: 1997,
        phone: "06 1111 2222".to_owned(),
        employer: None,
        care_start: "2026-10-01".to_owned(),
        care_end: None,
        remarks: String::new(),
        health_data_consent_date: "2026-10-01".to_owned(),
        employer_reporting_opt_in: false,
        employer_reporting_date: None,
        restricted: false,
    })
}

#[tokio::test]
async fn an_enrolled_device_checks_the_store_pushes_and_pulls() {
    let store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    let info = client.check_server().await.expect("check");
    assert_eq!(info.region, "nl");
    assert_eq!(client.whoami().await.expect("whoami").device_id, "laptop");

    let pushed = client
        .push(vec![Operation {
            op_id: uuid::Uuid::new_v4(),
            action: Action::Upsert {
                record: Box::new(client_record()),
                base_version: None,
            },
        }])
        .await
        .expect("push");
    assert_eq!(pushed.results[0].outcome, Outcome::Applied { version: 1 });
    let pulled = client.pull(0, 100).await.expect("pull");
    assert_eq!(pulled.changes.len(), 1);
    assert!(matches!(
        &pulled.changes[0].payload,
        ChangePayload::Record { record } if record.reference().id == "client-1"
    ));
}

#[tokio::test]
async fn a_store_outside_the_allowed_regions_is_refused_before_anything_is_sent() {
    let store = start_store("us").await;
    let client = store.client(&store.enroll("laptop"));
    let error = client
        .check_server()
        .await
        .expect_err("us is not in the EEA");
    assert!(matches!(&error, SyncError::RegionNotAllowed { region } if region == "us"));
    assert_eq!(
        error.to_string(),
        "the central store keeps its data in us, which the policy does not allow"
    );
}

#[tokio::test]
async fn certificates_the_other_side_does_not_trust_are_reported_as_not_trusted() {
    let store = start_store("nl").await;
    let device = store.enroll("laptop");

    // The app pins another CA than the one that issued the store's certificate.
    let impostor_ca = CertificateAuthority::create("Nep-CA").expect("impostor");
    let pinned_elsewhere = store.client_trusting(&impostor_ca.certificate_pem(), &device);
    let result = pinned_elsewhere.check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );

    // A device certificate from another CA.
    let stranger = impostor_ca.issue_device("stranger").expect("stranger");
    let result = store.client(&stranger).check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );

    // An expired certificate from the right CA.
    let now = chrono::Utc::now();
    let expired = store
        .ca
        .issue_device_valid(
            "old-laptop",
            now - chrono::Duration::days(30),
            now - chrono::Duration::days(1),
        )
        .expect("expired");
    store.register("old-laptop", &expired);
    let result = store.client(&expired).check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_revoked_device_is_told_so() {
    let store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    assert!(store.store.revoke_device("laptop").expect("revoke"));
    let error = client.whoami().await.expect_err("revoked");
    assert!(matches!(error, SyncError::DeviceRevoked));
    assert!(!error.is_transient());
}

#[tokio::test]
async fn a_stopped_store_is_offline_and_the_client_resumes_when_it_is_back() {
    let mut store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    client.check_server().await.expect("online");
    store.server.take().expect("running").stop().await;
    let error = client.check_server().await.expect_err("stopped");
    assert!(matches!(error, SyncError::Offline), "{error:?}");
    assert!(error.is_transient());

    let listener = tokio::net::TcpListener::bind(store.address)
        .await
        .expect("bind again");
    store.server = Some(serve(listener, &store.tls, &store.store, "nl"));
    client.check_server().await.expect("back online");
}
