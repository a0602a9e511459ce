//! A store on port 0 with its own CA, and HTTPS clients for its devices.

use std::sync::Arc;

use kluis_protocol::ErrorBody;
use kluis_server::pki::{CertificateAuthority, IssuedCertificate};
use kluis_server::server::{self, AppState, RunningServer};
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::{Device, Practitioner, Role, Store};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// A store on a free port with its own CA, in a temporary directory that is
/// removed on drop.
pub struct TestStore {
    _directory: tempfile::TempDir,
    pub ca: CertificateAuthority,
    pub store: Arc<SqliteStore>,
    tls: Arc<rustls::ServerConfig>,
    pub server: Option<RunningServer>,
    pub practitioner: Practitioner,
}

impl TestStore {
    pub async fn start() -> Self {
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

    pub async fn stop(&mut self) {
        self.server.take().expect("running").stop().await;
    }

    /// Serves again on the same port, on the same database.
    pub async fn restart(&mut self, address: std::net::SocketAddr) {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .expect("bind the same port");
        self.server = Some(serve(listener, &self.tls, &self.store));
    }

    pub fn url(&self, path: &str) -> String {
        let address = self.server.as_ref().expect("running").address;
        format!("https://127.0.0.1:{}{path}", address.port())
    }

    /// A certificate from this store's CA, registered as a device of Anna.
    pub fn enroll(&self, device_id: &str) -> IssuedCertificate {
        self.enroll_for(device_id, &self.practitioner.id.clone())
    }

    /// A certificate registered as a device of `practitioner_id`.
    pub fn enroll_for(&self, device_id: &str, practitioner_id: &str) -> IssuedCertificate {
        let issued = self.ca.issue_device(device_id).expect("device certificate");
        self.store
            .add_device(&Device {
                id: device_id.to_owned(),
                practitioner_id: practitioner_id.to_owned(),
                cert_fingerprint: issued.fingerprint.clone(),
                created_at: "2026-11-25T08:00:00Z".to_owned(),
                revoked_at: None,
                wipe_requested: false,
            })
            .expect("device");
        issued
    }

    pub fn add_practitioner(&self, id: &str, name: &str, role: Role) {
        self.store
            .add_practitioner(&Practitioner {
                id: id.to_owned(),
                display_name: name.to_owned(),
                role,
            })
            .expect("practitioner");
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
    pub fn client(&self, identity: Option<&IssuedCertificate>) -> reqwest::Client {
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

pub async fn error_body(response: reqwest::Response) -> (u16, ErrorBody) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("error body"))
}

/// POSTs a JSON body and returns the status and the JSON answer.
pub async fn post_json<T: serde::Serialize>(
    client: &reqwest::Client,
    url: &str,
    body: &T,
) -> (u16, serde_json::Value) {
    let response = client.post(url).json(body).send().await.expect("answer");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json answer"))
}
