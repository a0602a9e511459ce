//! A store on port 0 with its own CA, on either back end, and the TLS
//! configuration of its devices.

use std::sync::Arc;

use kluis_server::pki::{CertificateAuthority, IssuedCertificate};
use kluis_server::postgres::PostgresStore;
use kluis_server::server::{self, AppState, RunningServer};
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::{Device, Practitioner, Role, Store};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// A back end the scripted scenarios run against.
pub trait Backend: Store + Sized {
    /// Whether the database is the SQLite file `store.db` in the store's
    /// directory (what a test may read byte by byte).
    const IS_SQLITE: bool;
    fn open_for_test(directory: &std::path::Path) -> Self;
    /// Runs one SQL statement on the test's database over a connection of
    /// its own, past the store's code: what a mistake or an intruder with
    /// database access could do.
    fn execute_directly(directory: &std::path::Path, sql: &str) -> Result<u64, String>;
}

impl Backend for SqliteStore {
    const IS_SQLITE: bool = true;

    fn open_for_test(directory: &std::path::Path) -> Self {
        SqliteStore::open(&directory.join("store.db")).expect("sqlite store")
    }

    fn execute_directly(directory: &std::path::Path, sql: &str) -> Result<u64, String> {
        let connection = rusqlite::Connection::open(directory.join("store.db"))
            .map_err(|error| error.to_string())?;
        connection
            .execute(sql, [])
            .map(|rows| rows as u64)
            .map_err(|error| error.to_string())
    }
}

/// Runs blocking storage work on a plain thread: the synchronous PostgreSQL
/// client starts its own runtime, which it may not do on an async test's.
pub fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(work).join().expect("storage thread"))
}

impl Backend for PostgresStore {
    const IS_SQLITE: bool = false;

    /// A fresh database on the cluster `scripts/with-postgres.sh` started.
    fn open_for_test(directory: &std::path::Path) -> Self {
        off_runtime(|| Self::open_database(directory))
    }

    fn execute_directly(directory: &std::path::Path, sql: &str) -> Result<u64, String> {
        let database = std::fs::read_to_string(directory.join("database"))
            .map_err(|error| error.to_string())?;
        off_runtime(|| {
            let mut client = postgres::Client::connect(
                &format!("{} dbname={database}", test_cluster()),
                postgres::NoTls,
            )
            .map_err(|error| error.to_string())?;
            client.execute(sql, &[]).map_err(|error| {
                error
                    .as_db_error()
                    .map_or_else(|| error.to_string(), |db| db.message().to_owned())
            })
        })
    }
}

fn test_cluster() -> String {
    std::env::var("KLUIS_TEST_POSTGRES").expect(
        "KLUIS_TEST_POSTGRES is not set: run the tests through scripts/with-postgres.sh \
         (make test does)",
    )
}

trait OpenDatabase {
    fn open_database(directory: &std::path::Path) -> Self;
}

impl OpenDatabase for PostgresStore {
    fn open_database(directory: &std::path::Path) -> Self {
        let server = test_cluster();
        let database = format!("kluis_test_{}", uuid::Uuid::new_v4().simple());
        std::fs::write(directory.join("database"), &database).expect("remember the database");
        let mut admin =
            postgres::Client::connect(&format!("{server} dbname=postgres"), postgres::NoTls)
                .expect("connect to the test cluster");
        admin
            .batch_execute(&format!("CREATE DATABASE {database}"))
            .expect("create database");
        PostgresStore::open(&format!("{server} dbname={database}"), 8).expect("postgres store")
    }
}

/// A store on a free port with its own CA, in a temporary directory that is
/// removed on drop.
pub struct TestStore<S: Backend = SqliteStore> {
    pub directory: tempfile::TempDir,
    pub ca: Arc<CertificateAuthority>,
    pub store: Arc<S>,
    tls: Arc<rustls::ServerConfig>,
    server_certificate: IssuedCertificate,
    pub server: Option<RunningServer>,
    pub practitioner: Practitioner,
    /// The region the store declares.
    region: String,
    /// Where it listens; the same after a restart.
    address: std::net::SocketAddr,
}

impl<S: Backend> std::fmt::Debug for TestStore<S> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("TestStore")
            .field("address", &self.address)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl<S: Backend> TestStore<S> {
    /// A store in the Netherlands, with Anna de Vries as its practitioner.
    pub async fn start() -> Self {
        Self::start_in("nl").await
    }

    /// A store that declares `region`.
    pub async fn start_in(region: &str) -> Self {
        let directory = tempfile::tempdir().expect("tempdir");
        let store = S::open_for_test(directory.path());
        Self::serve_from(directory, store, region).await
    }

    /// A store on a free port serving `store`, which the caller opened (a
    /// benchmark that wants its own pool size, say).
    pub async fn serving(store: S, region: &str) -> Self {
        Self::serve_from(tempfile::tempdir().expect("tempdir"), store, region).await
    }

    async fn serve_from(directory: tempfile::TempDir, store: S, region: &str) -> Self {
        let ca = Arc::new(CertificateAuthority::create("Voorbeeld GGZ").expect("ca"));
        let server_certificate = ca
            .issue_server(&["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("server certificate");
        let tls = server::tls_config(
            &ca.certificate_pem(),
            &server_certificate.certificate_pem,
            &server_certificate.key_pem,
            None,
        )
        .expect("tls");
        let store = Arc::new(store);
        let practitioner = Practitioner {
            id: "anna".to_owned(),
            display_name: "Anna de Vries".to_owned(),
            role: Role::Psychologist,
        };
        off_runtime(|| store.add_practitioner(&practitioner)).expect("practitioner");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let server = serve(listener, &tls, &store, &ca, region);
        Self {
            directory,
            ca,
            store,
            tls,
            server_certificate,
            server: Some(server),
            practitioner,
            region: region.to_owned(),
            address,
        }
    }

    /// Where the store listens (also while it is stopped).
    pub fn address(&self) -> std::net::SocketAddr {
        self.address
    }

    /// The store's own URL, without a path.
    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.address.port())
    }

    pub async fn stop(&mut self) {
        self.server.take().expect("running").stop().await;
    }

    /// Serves again on the same port with a revocation list naming `serials`.
    pub async fn restart_revoking(&mut self, serials: &[String]) {
        let address = self.address;
        self.stop().await;
        let list = self.ca.revocation_list(serials).expect("revocation list");
        self.tls = server::tls_config(
            &self.ca.certificate_pem(),
            &self.server_certificate.certificate_pem,
            &self.server_certificate.key_pem,
            Some(&list),
        )
        .expect("tls with revocation list");
        self.restart(address).await;
    }

    /// Serves again on the same port with other limits.
    pub async fn restart_with_limits(&mut self, limits: server::Limits) {
        self.stop().await;
        let listener = tokio::net::TcpListener::bind(self.address)
            .await
            .expect("bind the same port");
        self.server = Some(
            server::start_with_limits(
                listener,
                Arc::clone(&self.tls),
                Arc::new(
                    AppState::new(Arc::clone(&self.store), self.region.clone())
                        .enrolling(Arc::clone(&self.ca)),
                ),
                limits,
            )
            .expect("start"),
        );
    }

    /// Serves again on the same port, on the same database.
    pub async fn restart(&mut self, address: std::net::SocketAddr) {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .expect("bind the same port");
        self.server = Some(serve(
            listener,
            &self.tls,
            &self.store,
            &self.ca,
            &self.region,
        ));
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// A certificate from this store's CA, registered as a device of Anna.
    pub fn enroll(&self, device_id: &str) -> IssuedCertificate {
        self.enroll_for(device_id, &self.practitioner.id.clone())
    }

    /// A certificate registered as a device of `practitioner_id`.
    pub fn enroll_for(&self, device_id: &str, practitioner_id: &str) -> IssuedCertificate {
        let issued = self.ca.issue_device(device_id).expect("device certificate");
        self.register_for(device_id, practitioner_id, &issued);
        issued
    }

    /// Registers a certificate issued elsewhere as a device of `practitioner_id`.
    pub fn register_for(&self, device_id: &str, practitioner_id: &str, issued: &IssuedCertificate) {
        let device = Device {
            created_at: "2026-11-25T08:00:00Z".to_owned(),
            ..Device::new(
                device_id,
                practitioner_id,
                issued.fingerprint.clone(),
                None,
                None,
            )
        };
        off_runtime(|| self.store.add_device(&device)).expect("device");
    }

    /// A one-time enrollment token for a new device of this store's
    /// practitioner, valid for an hour.
    pub fn enrollment_token(&self, device_id: &str) -> kluis_protocol::enrollment::EnrollmentToken {
        off_runtime(|| {
            kluis_server::enrollment::make_token(
                &*self.store,
                &self.ca,
                &self.base_url(),
                &self.practitioner.id,
                device_id,
                chrono::Duration::hours(1),
                None,
            )
        })
        .expect("enrollment token")
    }

    pub fn add_practitioner(&self, id: &str, name: &str, role: Role) {
        let practitioner = Practitioner {
            id: id.to_owned(),
            display_name: name.to_owned(),
            role,
        };
        off_runtime(|| self.store.add_practitioner(&practitioner)).expect("practitioner");
    }

    pub fn assign(&self, client_id: &str, practitioner_id: &str) {
        off_runtime(|| self.store.assign(client_id, practitioner_id)).expect("assign");
    }
}

fn serve<S: Backend>(
    listener: tokio::net::TcpListener,
    tls: &Arc<rustls::ServerConfig>,
    store: &Arc<S>,
    ca: &Arc<CertificateAuthority>,
    region: &str,
) -> RunningServer {
    server::start(
        listener,
        Arc::clone(tls),
        Arc::new(AppState::new(Arc::clone(store), region).enrolling(Arc::clone(ca))),
    )
    .expect("start")
}

impl<S: Backend> TestStore<S> {
    /// The rustls configuration of a client that trusts this store's CA and
    /// presents `identity`, if any.
    pub fn client_tls_config(&self, identity: Option<&IssuedCertificate>) -> rustls::ClientConfig {
        client_tls_config(
            self.ca.certificate_pem().as_bytes(),
            identity.map(|identity| {
                (
                    identity.certificate_pem.as_bytes(),
                    identity.key_pem.as_bytes(),
                )
            }),
        )
    }
}

/// The rustls configuration of a device that trusts the CA in `ca_pem` and
/// presents the certificate and key given (PEM), or no certificate.
pub fn client_tls_config(ca_pem: &[u8], identity: Option<(&[u8], &[u8])>) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca_pem).expect("ca pem"))
        .expect("root");
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots);
    match identity {
        Some((certificate_pem, key_pem)) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from_pem_slice(certificate_pem).expect("cert")],
                PrivateKeyDer::from_pem_slice(key_pem).expect("key"),
            )
            .expect("client auth"),
        None => builder.with_no_client_auth(),
    }
}
