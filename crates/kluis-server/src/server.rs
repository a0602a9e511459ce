//! The store's HTTPS endpoint: rustls with required client certificates, the
//! device looked up by its certificate's fingerprint, axum for the routes.
//!
//! The TLS handshake refuses a certificate that is not from the provider's
//! CA or that the revocation list names. A connection without a certificate
//! gets through the handshake but reaches only the enrollment route
//! (`/v1/enroll`): every other route answers `certificate_required`. A
//! certificate of a device that was since revoked in the store is refused
//! per request, with an error body the app can show.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use kluis_protocol::enrollment::{EnrollRequest, EnrollResponse};
use kluis_protocol::wipe::{MAX_WIPE_REPORT_BYTES, WipeReport, WipeReportAnswer};
use kluis_protocol::{
    AuditUploadRequest, AuditUploadResponse, DeviceIdentity, MAX_BODY_BYTES, POLICY_HASH_HEADER,
    PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest, PushResponse, ServerInfo,
};
use rustls::RootCertStore;
use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use crate::error::{ServerError, ServerResult};
use crate::store::{Caller, Store};
use crate::sync;
use crate::{audit, enrollment, pki, wipe};

/// What every request can reach: the storage and the store's declared region,
/// and for enrollment the CA that signs new devices' keys.
#[derive(Debug)]
pub struct AppState<S> {
    pub store: Arc<S>,
    /// ISO 3166-1 alpha-2 code of where the data is kept (e.g. `nl`).
    pub region: String,
    /// `None`: this store does not enroll devices (the route answers
    /// not found).
    pub enrollment: Option<Enrollment>,
    /// Wrong tokens and wrong wipe reports per address: the two routes a
    /// connection without a certificate reaches.
    attempts: enrollment::Attempts,
    contacts: Contacts,
}

impl<S> AppState<S> {
    pub fn new(store: Arc<S>, region: impl Into<String>) -> Self {
        Self {
            store,
            region: region.into(),
            enrollment: None,
            attempts: enrollment::Attempts::default(),
            contacts: Contacts::default(),
        }
    }

    /// Enrolls devices, signing their keys with `ca`.
    pub fn enrolling(mut self, ca: Arc<pki::CertificateAuthority>) -> Self {
        self.enrollment = Some(Enrollment {
            ca,
            revocation_list: None,
        });
        self
    }

    /// Writes the revocation list to `path` when a wipe receipt revokes a
    /// device (needs the CA: call after [`AppState::enrolling`]), so that the
    /// handshake refuses the certificate too, and a restarted store finds
    /// every revoked device on its list.
    pub fn revoking_into(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        if let Some(enrollment) = self.enrollment.as_mut() {
            enrollment.revocation_list = Some(path.into());
        }
        self
    }
}

/// What the enrollment route needs, and the CA's other work in a running
/// store.
#[derive(Debug)]
pub struct Enrollment {
    pub ca: Arc<pki::CertificateAuthority>,
    /// Where the revocation list lives, when this store writes it.
    revocation_list: Option<std::path::PathBuf>,
}

/// How often a device's last contact is written: every request would be a
/// write on the store for what IT reads to the minute.
const CONTACT_INTERVAL: Duration = Duration::from_secs(60);

/// When each device's contact was last written, and with which policy hash.
#[derive(Debug, Default)]
struct Contacts {
    written: std::sync::Mutex<std::collections::HashMap<String, (Instant, Option<String>)>>,
}

impl Contacts {
    /// Whether this contact should be written: the first of a device since
    /// the store started, the first after [`CONTACT_INTERVAL`], or one that
    /// reports another policy. Notes it as written.
    fn due(&self, device_id: &str, policy_hash: Option<&str>) -> bool {
        let mut written = self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let due = match written.get(device_id) {
            Some((at, hash)) => {
                at.elapsed() >= CONTACT_INTERVAL
                    || (policy_hash.is_some() && hash.as_deref() != policy_hash)
            }
            None => true,
        };
        if due {
            written.insert(
                device_id.to_owned(),
                (Instant::now(), policy_hash.map(str::to_owned)),
            );
        }
        due
    }
}

/// The fingerprint of the certificate the connection's peer presented;
/// `None` when it presented none.
#[derive(Debug, Clone)]
struct PeerFingerprint(Option<String>);

/// The address the connection came from (for counting wrong tokens).
#[derive(Debug, Clone, Copy)]
struct PeerAddress(SocketAddr);

/// TLS for the store: its own certificate, and client certificates required,
/// verified against the provider's CA and, when given, its revocation list.
pub fn tls_config(
    ca_pem: &str,
    server_certificate_pem: &str,
    server_key_pem: &str,
    revocation_list_pem: Option<&str>,
) -> ServerResult<Arc<rustls::ServerConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certificate_error =
        |error: &dyn std::fmt::Display| ServerError::Certificate(error.to_string());
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots
            .add(certificate.map_err(|error| certificate_error(&error))?)
            .map_err(|error| certificate_error(&error))?;
    }
    let mut verifier =
        WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone());
    if let Some(pem) = revocation_list_pem {
        let lists = CertificateRevocationListDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| certificate_error(&error))?;
        verifier = verifier.with_crls(lists);
    }
    // A connection without a certificate is let through the handshake for
    // the enrollment route only (see `only_enrollment_without_certificate`).
    let verifier = verifier
        .allow_unauthenticated()
        .build()
        .map_err(|error| certificate_error(&error))?;
    // The CA goes with the store's own certificate: a device that enrolls
    // knows only the CA's fingerprint (from its token), and finds the CA in
    // the chain (see `kluis_sync::enroll`).
    let chain = CertificateDer::pem_slice_iter(server_certificate_pem.as_bytes())
        .chain(CertificateDer::pem_slice_iter(ca_pem.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| certificate_error(&error))?;
    let key = PrivateKeyDer::from_pem_slice(server_key_pem.as_bytes())
        .map_err(|error| certificate_error(&error))?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| certificate_error(&error))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|error| certificate_error(&error))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

pub fn router<S: Store>(state: Arc<AppState<S>>) -> Router {
    Router::new()
        .route("/v1/info", get(info::<S>))
        .route("/v1/whoami", get(whoami))
        .route("/v1/pull", post(pull::<S>))
        .route("/v1/push", post(push::<S>))
        .route("/v1/audit", post(upload_audit::<S>))
        .route(ENROLL_ROUTE, post(enroll::<S>))
        .route(WIPE_REPORT_ROUTE, post(wipe_report::<S>))
        .fallback(|| async { ServerError::NotFound("route") })
        .method_not_allowed_fallback(|| async { ServerError::WrongMethod })
        .layer(axum::middleware::from_fn(
            only_enrollment_without_certificate,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

const ENROLL_ROUTE: &str = "/v1/enroll";
/// Reached without a certificate too: a wiped device has no key left.
const WIPE_REPORT_ROUTE: &str = "/v1/wipe-report";

/// A connection without a device certificate reaches the enrollment route
/// and the wipe report, and nothing else, whatever the path: not even
/// `/v1/info`.
async fn only_enrollment_without_certificate(
    Extension(peer): Extension<PeerFingerprint>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    if peer.0.is_none() && path != ENROLL_ROUTE && path != WIPE_REPORT_ROUTE {
        return ServerError::CertificateRequired.into_response();
    }
    next.run(request).await
}

/// A device's report that it erased itself (see [`crate::wipe`]). Reports
/// the store refuses are counted per address like wrong tokens.
async fn wipe_report<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Extension(peer): Extension<PeerAddress>,
    WireJson(report): WireJson<WipeReport>,
) -> ServerResult<Json<WipeReportAnswer>> {
    let address = peer.0.ip();
    state.attempts.check(address)?;
    if report.certificate_pem.len() + report.receipt.len() > MAX_WIPE_REPORT_BYTES {
        return Err(ServerError::TooLarge);
    }
    let listing = state.enrollment.as_ref().and_then(|enrollment| {
        enrollment
            .revocation_list
            .clone()
            .map(|path| (Arc::clone(&enrollment.ca), path))
    });
    let outcome = with_store(&state, move |store| {
        let answer = wipe::record(store, &report)?;
        if answer.verified
            && let Some((ca, path)) = listing
        {
            // The receipt revoked the device: the list says so too.
            pki::write_revocation_list(store, &ca, &path)?;
        }
        Ok(answer)
    })
    .await;
    match &outcome {
        Ok(answer) => tracing::info!(verified = answer.verified, "a device reported its wipe"),
        Err(error) => {
            state.attempts.failed(address);
            tracing::warn!(%address, %error, "a wipe report was refused");
        }
    }
    outcome.map(Json)
}

/// Redeems an enrollment token (see [`crate::enrollment`]). Wrong tokens are
/// counted per address, and logged without the secret.
async fn enroll<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Extension(peer): Extension<PeerAddress>,
    WireJson(request): WireJson<EnrollRequest>,
) -> ServerResult<Json<EnrollResponse>> {
    let enrolling = state
        .enrollment
        .as_ref()
        .ok_or(ServerError::NotFound("route"))?;
    let address = peer.0.ip();
    state.attempts.check(address).inspect_err(|_| {
        tracing::warn!(%address, "enrollment refused: too many wrong tokens from this address");
    })?;
    let ca = Arc::clone(&enrolling.ca);
    let device_id = request.device_id.clone();
    let outcome = with_store(&state, move |store| {
        enrollment::enroll(store, &ca, &request, chrono::Utc::now())
    })
    .await;
    match outcome {
        Ok((response, words)) => {
            tracing::info!(device = %device_id, key_words = %words, "a device enrolled");
            Ok(Json(response))
        }
        Err(ServerError::Enrollment(code)) => {
            state.attempts.failed(address);
            tracing::warn!(%address, device = %device_id, ?code, "enrollment refused");
            Err(ServerError::Enrollment(code))
        }
        Err(error) => Err(error),
    }
}

async fn info<S: Store>(State(state): State<Arc<AppState<S>>>) -> Json<ServerInfo> {
    Json(ServerInfo {
        protocol_version: PROTOCOL_VERSION,
        region: state.region.clone(),
    })
}

async fn whoami(Authenticated(caller): Authenticated) -> ServerResult<Json<DeviceIdentity>> {
    Ok(Json(DeviceIdentity {
        device_id: caller.device.id,
        practitioner_id: caller.practitioner.id,
        practitioner_name: caller.practitioner.display_name,
        role: caller.practitioner.role.as_str().to_owned(),
        wipe_requested: caller.device.wipe_requested,
    }))
}

/// JSON in, with a malformed or oversized body answered by an error body.
struct WireJson<T>(T);

impl<T, S> FromRequest<S> for WireJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ServerError;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(WireJson(value)),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ServerError::TooLarge)
            }
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ServerError::Malformed(
                "the content type must be application/json",
            )),
            Err(JsonRejection::JsonSyntaxError(_)) => {
                Err(ServerError::Malformed("the body is not valid JSON"))
            }
            Err(JsonRejection::JsonDataError(_)) => Err(ServerError::Malformed(
                "the body does not match the protocol",
            )),
            Err(_) => Err(ServerError::Malformed("the body could not be read")),
        }
    }
}

async fn pull<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Authenticated(caller): Authenticated,
    WireJson(request): WireJson<PullRequest>,
) -> ServerResult<Json<PullResponse>> {
    // A device IT asked to erase itself may still send what it holds, but
    // receives nothing more, even if its app does not carry out the wipe.
    if caller.device.wipe_requested {
        return Err(ServerError::WipePending);
    }
    let response = with_store(&state, move |store| sync::pull(store, &caller, &request)).await?;
    Ok(Json(response))
}

async fn push<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Authenticated(caller): Authenticated,
    WireJson(request): WireJson<PushRequest>,
) -> ServerResult<Json<PushResponse>> {
    let response = with_store(&state, move |store| sync::push(store, &caller, &request)).await?;
    Ok(Json(response))
}

async fn upload_audit<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Authenticated(caller): Authenticated,
    WireJson(request): WireJson<AuditUploadRequest>,
) -> ServerResult<Json<AuditUploadResponse>> {
    let response = with_store(&state, move |store| audit::upload(store, &caller, &request)).await?;
    Ok(Json(response))
}

/// The enrolled, unrevoked device behind this connection. Taking it notes
/// the device's contact, and the policy hash it reports
/// ([`POLICY_HASH_HEADER`]), at most once a minute.
struct Authenticated(Caller);

impl<S: Store> axum::extract::FromRequestParts<Arc<AppState<S>>> for Authenticated {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let fingerprint = parts
            .extensions
            .get::<PeerFingerprint>()
            .and_then(|peer| peer.0.clone())
            .ok_or(ServerError::UnknownDevice)?;
        let policy_hash = match parts.headers.get(POLICY_HASH_HEADER) {
            None => None,
            Some(value) => Some(
                value
                    .to_str()
                    .ok()
                    .filter(|hash| {
                        hash.len() == 64 && hash.bytes().all(|byte| byte.is_ascii_hexdigit())
                    })
                    .ok_or(ServerError::Malformed(
                        "the policy hash is not a SHA-256 in hex",
                    ))?
                    .to_ascii_lowercase(),
            ),
        };
        let caller = with_store(state, move |store| {
            store.caller_by_fingerprint(&fingerprint)
        })
        .await?
        .ok_or(ServerError::UnknownDevice)?;
        if caller.device.revoked_at.is_some() {
            return Err(ServerError::DeviceRevoked);
        }
        if state
            .contacts
            .due(&caller.device.id, policy_hash.as_deref())
        {
            let device_id = caller.device.id.clone();
            with_store(state, move |store| {
                store.record_contact(&device_id, policy_hash.as_deref())
            })
            .await?;
        }
        Ok(Self(caller))
    }
}

/// Runs blocking storage work off the async threads.
async fn with_store<S: Store, T: Send + 'static>(
    state: &Arc<AppState<S>>,
    work: impl FnOnce(&S) -> ServerResult<T> + Send + 'static,
) -> ServerResult<T> {
    let store = Arc::clone(&state.store);
    tokio::task::spawn_blocking(move || work(&store))
        .await
        .map_err(|error| ServerError::Storage(format!("storage task failed: {error}")))?
}

/// A store serving on a socket; dropping it (or [`RunningServer::stop`]) stops
/// accepting connections.
#[derive(Debug)]
pub struct RunningServer {
    pub address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// Stops accepting, closes idle connections, lets requests in flight
    /// finish (at most 10 s) and returns when all connections are closed.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// How long and how many: what keeps a peer without a certificate, or one
/// that sends slowly or not at all, from taking the store down (SPEC §9,
/// store under attack).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From accepting a TCP connection to a finished TLS handshake.
    pub handshake: Duration,
    /// For a request's head to arrive, counted from when the connection
    /// waits for it: also how long a kept-alive connection may sit idle.
    pub request_head: Duration,
    /// For a whole request, body included, to be read and answered.
    pub request: Duration,
    /// Open connections. At the cap, a new connection pushes out the oldest
    /// one still in its handshake, so idle sockets cannot crowd out a device;
    /// when every connection has finished its handshake, the new one is
    /// closed at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            handshake: Duration::from_secs(10),
            request_head: Duration::from_secs(20),
            request: Duration::from_secs(60),
            max_connections: 25_000,
        }
    }
}

/// A warning that may come in floods (failed handshakes, accept errors, full
/// connection slots): written at most once per interval, with how many were
/// left out since.
#[derive(Debug)]
struct ThrottledWarning {
    what: &'static str,
    interval: Duration,
    last: std::sync::Mutex<Option<Instant>>,
    left_out: AtomicU64,
}

impl ThrottledWarning {
    fn new(what: &'static str) -> Self {
        Self {
            what,
            interval: Duration::from_secs(10),
            last: std::sync::Mutex::new(None),
            left_out: AtomicU64::new(0),
        }
    }

    fn note(&self, detail: &dyn std::fmt::Display) {
        let now = Instant::now();
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|last| now.duration_since(last) < self.interval) {
            self.left_out.fetch_add(1, Ordering::Relaxed);
            return;
        }
        *last = Some(now);
        let left_out = self.left_out.swap(0, Ordering::Relaxed);
        tracing::warn!(%detail, similar_left_out = left_out, "{}", self.what);
    }
}

/// Connections still in their TLS handshake, oldest first, each with the
/// switch that closes it.
type PendingHandshakes = Arc<std::sync::Mutex<BTreeMap<u64, oneshot::Sender<()>>>>;

/// The TLS configuration new connections are accepted with. Replacing it
/// (a new revocation list) takes effect at the next handshake; connections
/// already open keep the configuration they started with.
#[derive(Debug)]
pub struct TlsSource(std::sync::RwLock<Arc<rustls::ServerConfig>>);

impl TlsSource {
    pub fn new(config: Arc<rustls::ServerConfig>) -> Self {
        Self(std::sync::RwLock::new(config))
    }

    pub fn replace(&self, config: Arc<rustls::ServerConfig>) {
        *self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = config;
    }

    fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(Arc::clone(
            &self
                .0
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        ))
    }
}

/// Serves the store on `listener` until stopped, with the default [`Limits`].
pub fn start<S: Store>(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    state: Arc<AppState<S>>,
) -> ServerResult<RunningServer> {
    start_with_limits(listener, tls, state, Limits::default())
}

/// Serves the store on `listener` until stopped.
pub fn start_with_limits<S: Store>(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    state: Arc<AppState<S>>,
    limits: Limits,
) -> ServerResult<RunningServer> {
    start_reloadable(listener, Arc::new(TlsSource::new(tls)), state, limits)
}

/// Serves the store on `listener` until stopped, taking each connection's
/// TLS configuration from `tls` as it is at that moment.
pub fn start_reloadable<S: Store>(
    listener: TcpListener,
    tls: Arc<TlsSource>,
    state: Arc<AppState<S>>,
    limits: Limits,
) -> ServerResult<RunningServer> {
    let address = listener
        .local_addr()
        .map_err(|error| ServerError::Storage(format!("listener: {error}")))?;
    let (shutdown, mut stopped) = oneshot::channel();
    let router = router(state).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| async move {
            // A body sent slowly holds a connection as long as a head does.
            match tokio::time::timeout(limits.request, next.run(request)).await {
                Ok(response) => response,
                Err(_) => ServerError::Timeout.into_response(),
            }
        },
    ));
    let task = tokio::spawn(async move {
        // Told to every connection when the store stops, so that open
        // keep-alive connections close too and clients see the store gone.
        let (closing, closing_seen) = watch::channel(false);
        let mut connections = JoinSet::new();
        let pending: PendingHandshakes = Arc::default();
        let mut next_id: u64 = 0;
        let refused_handshakes = Arc::new(ThrottledWarning::new("TLS handshakes refused"));
        let accept_errors = ThrottledWarning::new("accepting connections fails");
        let full = ThrottledWarning::new("the store is at its connection cap");
        let mut accept_backoff = Duration::ZERO;
        loop {
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(connection) => connection,
                    Err(error) => {
                        // Out of file descriptors, typically: trying again at
                        // once would spin and log without end.
                        accept_errors.note(&error);
                        accept_backoff = (accept_backoff * 2)
                            .clamp(Duration::from_millis(10), Duration::from_secs(1));
                        tokio::select! {
                            () = tokio::time::sleep(accept_backoff) => continue,
                            _ = &mut stopped => break,
                        }
                    }
                },
                _ = &mut stopped => break,
            };
            accept_backoff = Duration::ZERO;
            // Finished connections are reaped as new ones come in, so the
            // set holds exactly the open ones.
            while connections.try_join_next().is_some() {}
            if connections.len() >= limits.max_connections {
                let oldest = pending
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .pop_first();
                match oldest {
                    Some((_, close)) => {
                        let _ = close.send(());
                        full.note(&"closed the oldest connection still in its handshake");
                    }
                    None => {
                        full.note(&"closed a new connection");
                        drop(stream);
                        continue;
                    }
                }
            }
            let id = next_id;
            next_id += 1;
            let (close, closed) = oneshot::channel::<()>();
            pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(id, close);
            let pending = Arc::clone(&pending);
            let refused_handshakes = Arc::clone(&refused_handshakes);
            let acceptor = tls.acceptor();
            let router = router.clone();
            let mut closing = closing_seen.clone();
            connections.spawn(async move {
                let handshake = tokio::select! {
                    handshake = tokio::time::timeout(limits.handshake, acceptor.accept(stream)) => handshake,
                    _ = closed => return,
                };
                pending
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .remove(&id);
                let tls_stream = match handshake {
                    Ok(Ok(tls_stream)) => tls_stream,
                    Ok(Err(error)) => {
                        // No certificate, another CA, an expired or revoked
                        // certificate.
                        refused_handshakes.note(&format_args!("{peer}: {error}"));
                        return;
                    }
                    Err(_) => {
                        refused_handshakes.note(&format_args!("{peer}: no handshake in time"));
                        return;
                    }
                };
                let fingerprint = tls_stream
                    .get_ref()
                    .1
                    .peer_certificates()
                    .and_then(|chain| chain.first())
                    .map(|certificate| pki::fingerprint(certificate));
                let service = TowerToHyperService::new(
                    router
                        .layer(Extension(PeerFingerprint(fingerprint)))
                        .layer(Extension(PeerAddress(peer))),
                );
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.request_head)
                    .serve_connection(TokioIo::new(tls_stream), service);
                tokio::pin!(connection);
                let outcome = tokio::select! {
                    outcome = connection.as_mut() => outcome,
                    _ = closing.changed() => {
                        connection.as_mut().graceful_shutdown();
                        connection.await
                    }
                };
                if let Err(error) = outcome {
                    tracing::debug!(%peer, %error, "connection ended with an error");
                }
            });
        }
        let _ = closing.send(true);
        // Connections still in their handshake are closed at once.
        std::mem::take(
            &mut *pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        // Requests in flight finish; idle connections close at once.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while connections.join_next().await.is_some() {}
        })
        .await;
    });
    Ok(RunningServer {
        address,
        shutdown: Some(shutdown),
        task: Some(task),
    })
}
