//! The HTTPS client of the central store.

use std::sync::Arc;
use std::time::Duration;

use kluis_protocol::{
    AuditEntry, AuditUploadRequest, AuditUploadResponse, DeviceIdentity, ErrorBody, ErrorCode,
    MAX_BODY_BYTES, Operation, PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest,
    PushResponse, ServerInfo,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde::Serialize;
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use crate::error::{SyncError, SyncResult};

pub use kluis_protocol::EEA_REGIONS;

/// SHA-256 (lower-case hex) of the first certificate in `pem`: how a policy
/// and an enrollment token name the provider's CA.
pub fn ca_fingerprint(pem: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    CertificateDer::pem_slice_iter(pem.as_bytes())
        .next()
        .and_then(Result::ok)
        .map(|certificate| hex::encode(Sha256::digest(certificate.as_ref())))
}

/// How this device reaches the store.
pub struct SyncConfig {
    /// `https://host:port`, without a trailing slash.
    pub server_url: String,
    /// The provider's CA: the only issuer the client trusts for the store.
    pub ca_pem: String,
    pub device_certificate_pem: String,
    pub device_key_pem: Zeroizing<String>,
    /// Regions (ISO 3166-1 alpha-2) the policy allows; defaults to the EEA.
    pub allowed_regions: Vec<String>,
    /// The hash of the device's effective managed policy, stated to the
    /// store with every request ([`kluis_protocol::POLICY_HASH_HEADER`]).
    pub policy_hash: Option<String>,
    pub timeout: Duration,
}

impl std::fmt::Debug for SyncConfig {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SyncConfig")
            .field("server_url", &self.server_url)
            .field("allowed_regions", &self.allowed_regions)
            .finish_non_exhaustive()
    }
}

impl SyncConfig {
    pub fn new(
        server_url: impl Into<String>,
        ca_pem: impl Into<String>,
        device_certificate_pem: impl Into<String>,
        device_key_pem: Zeroizing<String>,
    ) -> Self {
        Self {
            server_url: server_url.into(),
            ca_pem: ca_pem.into(),
            device_certificate_pem: device_certificate_pem.into(),
            device_key_pem,
            allowed_regions: EEA_REGIONS
                .iter()
                .map(|region| (*region).to_owned())
                .collect(),
            policy_hash: None,
            timeout: Duration::from_secs(30),
        }
    }

    /// This configuration under a managed policy: its regions, and its hash
    /// stated to the store.
    pub fn under_policy(mut self, policy: &kluis_protocol::managed::EffectivePolicy) -> Self {
        self.allowed_regions = policy.allowed_regions.clone();
        self.policy_hash = Some(policy.hash());
        self
    }
}

#[derive(Debug, Clone)]
pub struct SyncClient {
    http: reqwest::Client,
    base: String,
    allowed_regions: Vec<String>,
}

impl SyncClient {
    pub fn new(config: SyncConfig) -> SyncResult<Self> {
        let identity_error = |error: &dyn std::fmt::Display| SyncError::Identity(error.to_string());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = roots_from(&config.ca_pem)?;
        let chain = CertificateDer::pem_slice_iter(config.device_certificate_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| identity_error(&error))?;
        let key = PrivateKeyDer::from_pem_slice(config.device_key_pem.as_bytes())
            .map_err(|error| identity_error(&error))?;
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| identity_error(&error))?
            .with_root_certificates(roots)
            .with_client_auth_cert(chain, key)
            .map_err(|error| identity_error(&error))?;
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(hash) = &config.policy_hash {
            headers.insert(
                kluis_protocol::POLICY_HASH_HEADER,
                reqwest::header::HeaderValue::from_str(hash)
                    .map_err(|error| SyncError::Unexpected(error.to_string()))?,
            );
        }
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .default_headers(headers)
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(10))
            // The store closes a connection that waits 20 s for a request;
            // letting it go sooner here avoids sending on a closing one.
            .pool_idle_timeout(Duration::from_secs(15))
            .build()
            .map_err(|error| SyncError::Unexpected(error.to_string()))?;
        Ok(Self {
            http,
            base: config.server_url.trim_end_matches('/').to_owned(),
            allowed_regions: config.allowed_regions,
        })
    }

    /// Checks the store speaks this protocol and keeps its data in an allowed
    /// region. Call it before sending anything.
    pub async fn check_server(&self) -> SyncResult<ServerInfo> {
        let info: ServerInfo = self.get("/v1/info").await?;
        if info.protocol_version != PROTOCOL_VERSION {
            return Err(SyncError::UnsupportedVersion {
                server: info.protocol_version,
                app: PROTOCOL_VERSION,
            });
        }
        let region = info.region.to_ascii_lowercase();
        if !self.allowed_regions.contains(&region) {
            return Err(SyncError::RegionNotAllowed { region });
        }
        Ok(info)
    }

    pub async fn whoami(&self) -> SyncResult<DeviceIdentity> {
        self.get("/v1/whoami").await
    }

    pub async fn pull(&self, cursor: u64, limit: u32) -> SyncResult<PullResponse> {
        self.post(
            "/v1/pull",
            &PullRequest {
                protocol_version: PROTOCOL_VERSION,
                cursor,
                limit,
            },
        )
        .await
    }

    pub async fn push(&self, operations: Vec<Operation>) -> SyncResult<PushResponse> {
        self.post(
            "/v1/push",
            &PushRequest {
                protocol_version: PROTOCOL_VERSION,
                operations,
            },
        )
        .await
    }

    /// Uploads access-log entries of one chain, in order; returns how far
    /// the store now holds the chain.
    pub async fn upload_audit(&self, entries: Vec<AuditEntry>) -> SyncResult<AuditUploadResponse> {
        self.post(
            "/v1/audit",
            &AuditUploadRequest {
                protocol_version: PROTOCOL_VERSION,
                entries,
            },
        )
        .await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> SyncResult<T> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .map_err(classify)?;
        read(response).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> SyncResult<T> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .map_err(classify)?;
        read(response).await
    }
}

/// A root store holding only the provider's CA (`ca_pem`): the one issuer
/// the device trusts for its store.
pub(crate) fn roots_from(ca_pem: &str) -> SyncResult<rustls::RootCertStore> {
    let identity_error = |error: &dyn std::fmt::Display| SyncError::Identity(error.to_string());
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots
            .add(certificate.map_err(|error| identity_error(&error))?)
            .map_err(|error| identity_error(&error))?;
    }
    Ok(roots)
}

/// POSTs `body` to the store's `path` over `tls`, which presents no device
/// certificate (enrollment: the device has none yet; a wipe report: it has
/// none any more), and reads the answer as every other request's.
pub(crate) async fn post_without_certificate<B: Serialize, T: DeserializeOwned>(
    tls: rustls::ClientConfig,
    store_url: &str,
    path: &str,
    body: &B,
) -> SyncResult<T> {
    let http = reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|error| SyncError::Unexpected(error.to_string()))?;
    let response = http
        .post(format!("{}{path}", store_url.trim_end_matches('/')))
        .json(body)
        .send()
        .await
        .map_err(classify)?;
    read(response).await
}

/// A successful body, or the store's error body in the app's terms.
pub(crate) async fn read<T: DeserializeOwned>(mut response: reqwest::Response) -> SyncResult<T> {
    let status = response.status();
    // The protocol's limit holds for answers too: a store (or anything in
    // between) that sends more is not believed, and not buffered.
    let too_large =
        || SyncError::Unexpected("an answer larger than the protocol allows".to_owned());
    if response
        .content_length()
        .is_some_and(|length| length > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    if status.is_success() {
        return serde_json::from_slice(&bytes)
            .map_err(|error| SyncError::Unexpected(format!("unreadable answer: {error}")));
    }
    let body: ErrorBody = serde_json::from_slice(&bytes)
        .map_err(|_| SyncError::Unexpected(format!("status {status} without an error body")))?;
    Err(match body.code {
        ErrorCode::DeviceRevoked => SyncError::DeviceRevoked,
        ErrorCode::UnknownDevice => SyncError::UnknownDevice,
        ErrorCode::UnsupportedVersion => SyncError::UnsupportedVersion {
            server: 0,
            app: PROTOCOL_VERSION,
        },
        code => SyncError::Refused {
            code,
            message: body.message,
        },
    })
}

/// The TLS error among an error's causes. `std::io::Error` hides a wrapped
/// error from `source()`, so wrapped I/O errors are opened with `get_ref()`.
fn tls_cause<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    if let Some(io) = error.downcast_ref::<std::io::Error>()
        && let Some(inner) = io.get_ref()
    {
        return tls_cause(inner);
    }
    error.source().and_then(tls_cause)
}

/// A failed request: a TLS refusal somewhere in its causes, or else offline.
pub(crate) fn classify(error: reqwest::Error) -> SyncError {
    if let Some(tls) = tls_cause(&error) {
        return SyncError::NotTrusted(tls.to_string());
    }
    if error.is_connect() || error.is_timeout() || error.is_request() || error.is_body() {
        SyncError::Offline
    } else {
        SyncError::Unexpected(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: Vec<u8>) -> reqwest::Response {
        reqwest::Response::from(
            http::Response::builder()
                .status(200)
                .body(body)
                .expect("response"),
        )
    }

    /// A store (or anything between) that sends more than the protocol
    /// allows is not believed and not buffered whole.
    #[tokio::test]
    async fn an_answer_larger_than_the_protocol_allows_is_refused() {
        let too_long = vec![b' '; MAX_BODY_BYTES + 1];
        let refused = read::<serde_json::Value>(answer(too_long)).await;
        assert!(
            matches!(&refused, Err(SyncError::Unexpected(reason)) if reason.contains("larger than the protocol allows")),
            "{refused:?}"
        );
        let fitting = read::<serde_json::Value>(answer(b"{\"ok\":true}".to_vec())).await;
        assert_eq!(fitting.expect("fits")["ok"], true);
    }
}
