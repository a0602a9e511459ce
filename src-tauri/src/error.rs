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

impl AppError {
    fn with_code(code: ErrorCode, message: String) -> Self {
        tracing::debug!(?code, %message, "command failed");
        Self {
            code,
            message,
            retry_after_seconds: None,
            field: None,
        }
    }
}

/// The store's answers in the UI's codes: enrollment refusals each their
/// own, a vault error as the vault's.
impl From<kluis_sync::SyncError> for AppError {
    fn from(error: kluis_sync::SyncError) -> Self {
        use kluis_protocol::ErrorCode as Store;
        use kluis_sync::SyncError;
        let message = error.to_string();
        let code = match error {
            SyncError::Vault(core) => return AppError::from(core),
            SyncError::Offline => ErrorCode::StoreUnreachable,
            SyncError::NotTrusted(_) => ErrorCode::StoreNotTrusted,
            SyncError::Refused { code, .. } => match code {
                Store::TokenUnknown => ErrorCode::EnrollmentTokenUnknown,
                Store::TokenUsed => ErrorCode::EnrollmentTokenUsed,
                Store::TokenExpired => ErrorCode::EnrollmentTokenExpired,
                Store::TokenForAnotherDevice => ErrorCode::EnrollmentTokenForAnotherDevice,
                Store::TooManyAttempts => ErrorCode::EnrollmentTooManyAttempts,
                _ => ErrorCode::StoreRefused,
            },
            _ => ErrorCode::StoreRefused,
        };
        AppError::with_code(code, message)
    }
}

impl AppError {
    /// What was pasted or placed is not an enrollment token: the field is
    /// `token`.
    pub fn invalid_token(reason: impl std::fmt::Display) -> Self {
        AppError {
            field: Some("token".to_owned()),
            ..AppError::with_code(ErrorCode::EnrollmentTokenInvalid, reason.to_string())
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
