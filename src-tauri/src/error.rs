//! The one error type that crosses into the UI: a stable code the UI
//! translates (Dutch, English) plus details it may need.

use kluis_core::{CoreError, ErrorCode};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    pub code: ErrorCode,
    /// English, for logs and developers; the UI shows its own words per code.
    pub message: String,
    pub retry_after_seconds: Option<u32>,
    pub field: Option<String>,
}

impl From<CoreError> for AppError {
    fn from(error: CoreError) -> Self {
        tracing::debug!(code = ?error.code(), %error, "command failed");
        Self {
            code: error.code(),
            message: error.to_string(),
            retry_after_seconds: error.retry_after_seconds(),
            field: error.field().map(str::to_owned),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
