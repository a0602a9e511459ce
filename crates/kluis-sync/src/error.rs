//! What can go wrong talking to the store, in the terms the app shows.

use kluis_protocol::ErrorCode;

/// Messages are lower case and carry no record content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// No connection: no network, or the store is down. Retried later.
    #[error("the central store cannot be reached")]
    Offline,
    /// The TLS handshake failed: the store's certificate is not from the
    /// provider's CA, or the store did not accept this device's certificate
    /// (expired, from another CA).
    #[error("the secure connection was refused: {0}")]
    NotTrusted(String),
    #[error("this device was revoked by IT")]
    DeviceRevoked,
    #[error("this device is not enrolled with the central store")]
    UnknownDevice,
    #[error("the central store keeps its data in {region}, which the policy does not allow")]
    RegionNotAllowed { region: String },
    #[error("the central store speaks protocol version {server}, this app {app}")]
    UnsupportedVersion { server: u32, app: u32 },
    #[error("the central store refused the request ({code:?}): {message}")]
    Refused { code: ErrorCode, message: String },
    #[error("the central store answered something unexpected: {0}")]
    Unexpected(String),
    /// IT asked this device to erase itself (see [`crate::wipe`]); the
    /// round sent what the device held and stopped.
    #[error("IT asked this device to erase itself")]
    WipeRequested { device_id: String },
    #[error("the device's certificate or key is unusable: {0}")]
    Identity(String),
    #[error(transparent)]
    Vault(#[from] kluis_core::CoreError),
}

impl SyncError {
    /// Whether trying again later can help.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SyncError::Offline
                | SyncError::Refused {
                    code: ErrorCode::Unavailable | ErrorCode::Internal | ErrorCode::Timeout,
                    ..
                }
        )
    }
}

pub type SyncResult<T> = Result<T, SyncError>;
