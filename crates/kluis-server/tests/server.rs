//! The store over real mutual TLS on port 0: who gets in and who does not.
// Test helpers outside #[test] functions panic on setup failure by design.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use kluis_protocol::{DeviceIdentity, ErrorBody, ErrorCode, ServerInfo};
use kluis_server::pki::{CertificateAuthority, IssuedCertificate};
use kluis_server::server::{self, AppState, RunningServer};
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::{Device, Practitioner, Role, Store};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// A store on a free port with its own CA, in a temporary directory that is
/// removed on drop.
struct TestStore {
    _directory: tempfile::TempDir,
    ca: CertificateAuthority,
    store: Arc<SqliteStore>,
    tls: Arc<rustls::ServerConfig>,
    server: Option<RunningServer>,
    practitioner: Practitioner,
}

impl TestStore {
    async fn start() -> Self {
        let directory = tempfile::tempdir().expect("tempdir");
        let ca = CertificateAuthority::create("Voorbeeld GGZ").expect("ca");
        let server_certificate = ca
            .issue_server(&["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("server certificate");
        let tls = server::tls_config(
            &ca.certificate_pem(),
            &server_certificate.certificate_pem,
            &server_certificate.key_pem,
        )
        .expect("tls");
        let store = Arc::new(SqliteStore::open(&directory.path().join("store.db")).expect("store"));
        let practitioner = Practitioner {
            id: "anna".to_owned(),
            display_name: "Anna de Vries".to_owned(),
            role: Role::Psychologist,
        };
        store.add_practitioner(&practitioner).expect("practitioner");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let server = serve(listener, &tls, &store);
        Self {
            _directory: directory,
            ca,
            store,
            tls,
            server: Some(server),
            practitioner,
        }
    }

    async fn stop(&mut self) {
        self.server.take().expect("running").stop().await;
    }

    /// Serves again on the same port, on the same database.
    async fn restart(&mut self, address: std::net::SocketAddr) {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .expect("bind the same port");
        self.server = Some(serve(listener, &self.tls, &self.store));
    }

    fn url(&self, path: &str) -> String {
        let address = self.server.as_ref().expect("running").address;
        format!("https://127.0.0.1:{}{path}", address.port())
    }

    /// A certificate from this store's CA, registered as a device.
    fn enroll(&self, device_id: &str) -> IssuedCertificate {
        let issued = self.ca.issue_device(device_id).expect("device certificate");
        self.store
            .add_device(&Device {
                id: device_id.to_owned(),
                practitioner_id: self.practitioner.id.clone(),
                cert_fingerprint: issued.fingerprint.clone(),
                created_at: "2026-11-25T08:00:00Z".to_owned(),
                revoked_at: None,
                wipe_requested: false,
            })
            .expect("device");
        issued
    }
}

fn serve(
    listener: tokio::net::TcpListener,
    tls: &Arc<rustls::ServerConfig>,
    store: &Arc<SqliteStore>,
) -> RunningServer {
    server::start(
        listener,
        Arc::clone(tls),
        Arc::new(AppState {
            store: Arc::clone(store),
            region: "nl".to_owned(),
        }),
    )
    .expect("start")
}

impl TestStore {
    /// An HTTPS client that trusts this store's CA and presents `identity`.
    fn client(&self, identity: Option<&IssuedCertificate>) -> reqwest::Client {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(
                CertificateDer::from_pem_slice(self.ca.certificate_pem().as_bytes())
                    .expect("ca pem"),
            )
            .expect("root");
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(roots);
        let config = match identity {
            Some(identity) => builder
                .with_client_auth_cert(
                    vec![
                        CertificateDer::from_pem_slice(identity.certificate_pem.as_bytes())
                            .expect("cert"),
                    ],
                    PrivateKeyDer::from_pem_slice(identity.key_pem.as_bytes()).expect("key"),
                )
                .expect("client auth"),
            None => builder.with_no_client_auth(),
        };
        reqwest::Client::builder()
            .use_preconfigured_tls(config)
            .build()
            .expect("client")
    }
}

#[tokio::test]
async fn an_enrolled_device_is_known_by_its_certificate() {
    let store = TestStore::start().await;
    let device = store.enroll("device-1");
    let client = store.client(Some(&device));

    let info: ServerInfo = client
        .get(store.url("/v1/info"))
        .send()
        .await
        .expect("info")
        .json()
        .await
        .expect("info body");
    assert_eq!(info.region, "nl");
    assert_eq!(info.protocol_version, kluis_protocol::PROTOCOL_VERSION);

    let identity: DeviceIdentity = client
        .get(store.url("/v1/whoami"))
        .send()
        .await
        .expect("whoami")
        .error_for_status()
        .expect("200")
        .json()
        .await
        .expect("identity");
    assert_eq!(identity.device_id, "device-1");
    assert_eq!(identity.practitioner_id, "anna");
    assert_eq!(identity.role, "psychologist");
    assert!(!identity.wipe_requested);
}

#[tokio::test]
async fn a_connection_without_a_client_certificate_is_refused() {
    let store = TestStore::start().await;
    let result = store.client(None).get(store.url("/v1/info")).send().await;
    assert!(result.is_err(), "the handshake must fail: {result:?}");
}

#[tokio::test]
async fn a_certificate_from_another_ca_is_refused() {
    let store = TestStore::start().await;
    let other_ca = CertificateAuthority::create("Iemand anders").expect("other ca");
    let stranger = other_ca.issue_device("device-x").expect("stranger");
    let result = store
        .client(Some(&stranger))
        .get(store.url("/v1/info"))
        .send()
        .await;
    assert!(result.is_err(), "the handshake must fail: {result:?}");
}

async fn error_body(response: reqwest::Response) -> (u16, ErrorBody) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("error body"))
}

#[tokio::test]
async fn a_revoked_or_unregistered_device_gets_a_clear_error() {
    let store = TestStore::start().await;
    let device = store.enroll("device-1");
    assert!(store.store.revoke_device("device-1").expect("revoke"));
    let (status, body) = error_body(
        store
            .client(Some(&device))
            .get(store.url("/v1/whoami"))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!((status, body.code), (403, ErrorCode::DeviceRevoked));
    assert_eq!(body.message, "this device was revoked");

    let unregistered = store.ca.issue_device("device-2").expect("certificate");
    let (status, body) = error_body(
        store
            .client(Some(&unregistered))
            .get(store.url("/v1/whoami"))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!((status, body.code), (401, ErrorCode::UnknownDevice));
}

#[tokio::test]
async fn an_unknown_route_gets_an_error_body_and_the_store_keeps_serving() {
    let store = TestStore::start().await;
    let device = store.enroll("device-1");
    let client = store.client(Some(&device));
    let (status, body) = error_body(
        client
            .get(store.url("/v2/nothing"))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!((status, body.code), (404, ErrorCode::NotFound));
    assert!(
        client
            .get(store.url("/v1/whoami"))
            .send()
            .await
            .expect("still serving")
            .status()
            .is_success()
    );
}

#[tokio::test]
async fn a_stopped_store_refuses_and_a_restarted_one_serves_again() {
    let mut store = TestStore::start().await;
    let device = store.enroll("device-1");
    let address = store.server.as_ref().expect("running").address;
    store.stop().await;
    let url = format!("https://127.0.0.1:{}/v1/whoami", address.port());
    let refused = store.client(Some(&device)).get(&url).send().await;
    assert!(refused.is_err(), "nothing listens: {refused:?}");

    store.restart(address).await;
    let identity: DeviceIdentity = store
        .client(Some(&device))
        .get(&url)
        .send()
        .await
        .expect("serving again")
        .json()
        .await
        .expect("identity");
    assert_eq!(identity.device_id, "device-1", "the device is still known");
}
