//! The server's typed errors, and how each becomes an HTTP answer with an
//! error body ([`kluis_protocol::ErrorBody`]).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kluis_protocol::{ErrorBody, ErrorCode, ProtocolError, Refusal};

/// Messages are lower case and never carry record content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error("this device is not enrolled")]
    UnknownDevice,
    #[error("this device was revoked")]
    DeviceRevoked,
    #[error("this device is to erase itself: the store sends it nothing more")]
    WipePending,
    #[error(
        "the cursor is from before tombstones the store no longer keeps: rebuild from the store"
    )]
    RebuildRequired,
    /// A connection without a device certificate asked for something other
    /// than enrollment.
    #[error("this route needs a device certificate")]
    CertificateRequired,
    /// An enrollment the store refuses; the code says why (unknown, used,
    /// expired, another device's token, too many attempts).
    #[error("enrollment refused ({0:?})")]
    Enrollment(ErrorCode),
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// An operation a rule of the store refuses; the rule travels with it.
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid {0}")]
    Invalid(String),
    /// What was wrong, in fixed words: serde's own messages quote the
    /// values sent, which may be a client's data.
    #[error("malformed request: {0}")]
    Malformed(&'static str),
    #[error("the request is larger than the store accepts")]
    TooLarge,
    #[error("the request took too long to arrive")]
    Timeout,
    #[error("this route does not take that method")]
    WrongMethod,
    #[error("storage error: {0}")]
    Storage(String),
    #[error("certificate error: {0}")]
    Certificate(String),
    #[error("file error at {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub type ServerResult<T> = Result<T, ServerError>;

impl ServerError {
    pub fn io(path: impl Into<std::path::PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| ServerError::Io { path, source }
    }

    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            ServerError::Protocol(error) => (StatusCode::BAD_REQUEST, error.code()),
            ServerError::UnknownDevice => (StatusCode::UNAUTHORIZED, ErrorCode::UnknownDevice),
            ServerError::DeviceRevoked => (StatusCode::FORBIDDEN, ErrorCode::DeviceRevoked),
            ServerError::WipePending => (StatusCode::FORBIDDEN, ErrorCode::WipeRequested),
            ServerError::RebuildRequired => (StatusCode::GONE, ErrorCode::RebuildRequired),
            ServerError::CertificateRequired => {
                (StatusCode::UNAUTHORIZED, ErrorCode::CertificateRequired)
            }
            ServerError::Enrollment(code) => {
                let status = match code {
                    ErrorCode::TokenUnknown => StatusCode::UNAUTHORIZED,
                    ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
                    _ => StatusCode::FORBIDDEN,
                };
                (status, *code)
            }
            ServerError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            ServerError::Refused(refusal) => {
                let code = refusal.code();
                let status = match code {
                    ErrorCode::NotFound => StatusCode::NOT_FOUND,
                    ErrorCode::Invalid => StatusCode::BAD_REQUEST,
                    _ => StatusCode::FORBIDDEN,
                };
                (status, code)
            }
            ServerError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            ServerError::Invalid(_) => (StatusCode::BAD_REQUEST, ErrorCode::Invalid),
            ServerError::Malformed(_) => (StatusCode::BAD_REQUEST, ErrorCode::MalformedRequest),
            ServerError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
            ServerError::Timeout => (StatusCode::REQUEST_TIMEOUT, ErrorCode::Timeout),
            ServerError::WrongMethod => {
                (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MalformedRequest)
            }
            ServerError::Storage(_) | ServerError::Certificate(_) | ServerError::Io { .. } => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }
}

impl From<rusqlite::Error> for ServerError {
    fn from(error: rusqlite::Error) -> Self {
        // Only the kind: SQLite messages can quote values.
        match error {
            rusqlite::Error::SqliteFailure(failure, _) => {
                ServerError::Storage(format!("sqlite {:?}", failure.code))
            }
            other => ServerError::Storage(format!("{:?}", std::mem::discriminant(&other))),
        }
    }
}

impl From<rcgen::Error> for ServerError {
    fn from(error: rcgen::Error) -> Self {
        ServerError::Certificate(error.to_string())
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let message = if status.is_server_error() {
            // Internal details stay in the server's log.
            "the store could not handle this request".to_owned()
        } else {
            self.to_string()
        };
        (status, Json(ErrorBody { code, message })).into_response()
    }
}
