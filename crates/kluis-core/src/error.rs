//! The core's typed errors and the stable codes the UI translates.

use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong in the core. Messages are lower case, without a
/// trailing period, and never contain a passphrase, a key or client content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    #[error("too many wrong passphrases: try again in {} seconds", retry_after.as_secs().max(1))]
    Throttled { retry_after: Duration },
    #[error("the vault is locked")]
    Locked,
    #[error("no vault exists in {0}")]
    VaultMissing(PathBuf),
    #[error("a vault already exists in {0}")]
    VaultExists(PathBuf),
    #[error("the OS keyring is not available: {0}")]
    KeyringUnavailable(String),
    #[error("the device secret of this vault is not in the OS keyring")]
    DeviceSecretMissing,
    #[error("the vault header was altered or is damaged: {0}")]
    HeaderTampered(&'static str),
    #[error("the vault header belongs to another vault")]
    HeaderForeign,
    #[error("the vault database was altered or is damaged")]
    DatabaseTampered,
    #[error("vault format version {0} is not supported by this version of Kluis")]
    UnsupportedVaultVersion(u32),
    #[error("the passphrase is too weak")]
    WeakPassphrase,
    #[error("invalid {field}: {reason}")]
    Validation {
        field: &'static str,
        reason: &'static str,
    },
    #[error("your role does not allow this: {0}")]
    PermissionDenied(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("the client record is restricted and read-only")]
    Restricted,
    #[error("the note is signed and can no longer change; add an addendum instead")]
    NoteSigned,
    #[error("storage error: {0}")]
    Storage(String),
    #[error("file error at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("internal error: {0}")]
    Internal(String),
    /// IT's policy fixes this setting; it can be made stricter, not looser.
    #[error("{0} is managed by your organisation's policy")]
    SettingManaged(&'static str),
    /// The policy's number of wrong passphrases was reached: the vault was
    /// erased.
    #[error("too many wrong passphrases: this device's vault was erased")]
    WipedAfterFailedUnlocks,
    /// The policy's offline grace period ran out, and the store could not be
    /// reached to renew it.
    #[error("no contact with the central store for more than {days} days")]
    OfflineGraceExpired { days: u32 },
    /// What IT's policy does not allow: another store, another CA.
    #[error("the policy does not allow {0}")]
    NotAllowedByPolicy(&'static str),
}

/// Stable, machine-readable error codes. The UI maps each one to Dutch and English
/// text; renaming a variant is a breaking change for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    WrongPassphrase,
    Throttled,
    VaultLocked,
    VaultMissing,
    VaultExists,
    KeyringUnavailable,
    DeviceSecretMissing,
    HeaderTampered,
    HeaderForeign,
    DatabaseTampered,
    UnsupportedVaultVersion,
    WeakPassphrase,
    Validation,
    PermissionDenied,
    NotFound,
    Restricted,
    NoteSigned,
    Storage,
    Internal,
    /// What IT handed over is not an enrollment token (mistyped, cut off).
    EnrollmentTokenInvalid,
    /// The store does not know the token.
    EnrollmentTokenUnknown,
    /// The token was used before: IT makes a new one.
    EnrollmentTokenUsed,
    /// The token's time is up: IT makes a new one.
    EnrollmentTokenExpired,
    /// The token was made for another device.
    EnrollmentTokenForAnotherDevice,
    /// Too many wrong tokens from this network; wait and try again.
    EnrollmentTooManyAttempts,
    /// The central store cannot be reached (offline, or the store is down).
    StoreUnreachable,
    /// The store is not the one IT named (its certificate does not match).
    StoreNotTrusted,
    /// The store refused the request for another reason.
    StoreRefused,
    /// IT's policy fixes this setting.
    SettingManaged,
    /// Too many wrong passphrases: the vault was erased (policy).
    VaultWiped,
    /// The offline grace period ran out: the store must be reached first.
    OfflineGraceExpired,
    /// IT's policy does not allow this store or CA.
    NotAllowedByPolicy,
}

impl ErrorCode {
    /// Every code, in declaration order: exported to the UI with its bindings,
    /// so that it can tell a code of the contract from anything else.
    pub const ALL: [ErrorCode; 32] = [
        ErrorCode::WrongPassphrase,
        ErrorCode::Throttled,
        ErrorCode::VaultLocked,
        ErrorCode::VaultMissing,
        ErrorCode::VaultExists,
        ErrorCode::KeyringUnavailable,
        ErrorCode::DeviceSecretMissing,
        ErrorCode::HeaderTampered,
        ErrorCode::HeaderForeign,
        ErrorCode::DatabaseTampered,
        ErrorCode::UnsupportedVaultVersion,
        ErrorCode::WeakPassphrase,
        ErrorCode::Validation,
        ErrorCode::PermissionDenied,
        ErrorCode::NotFound,
        ErrorCode::Restricted,
        ErrorCode::NoteSigned,
        ErrorCode::Storage,
        ErrorCode::Internal,
        ErrorCode::EnrollmentTokenInvalid,
        ErrorCode::EnrollmentTokenUnknown,
        ErrorCode::EnrollmentTokenUsed,
        ErrorCode::EnrollmentTokenExpired,
        ErrorCode::EnrollmentTokenForAnotherDevice,
        ErrorCode::EnrollmentTooManyAttempts,
        ErrorCode::StoreUnreachable,
        ErrorCode::StoreNotTrusted,
        ErrorCode::StoreRefused,
        ErrorCode::SettingManaged,
        ErrorCode::VaultWiped,
        ErrorCode::OfflineGraceExpired,
        ErrorCode::NotAllowedByPolicy,
    ];
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::WrongPassphrase => ErrorCode::WrongPassphrase,
            CoreError::Throttled { .. } => ErrorCode::Throttled,
            CoreError::Locked => ErrorCode::VaultLocked,
            CoreError::VaultMissing(_) => ErrorCode::VaultMissing,
            CoreError::VaultExists(_) => ErrorCode::VaultExists,
            CoreError::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
            CoreError::DeviceSecretMissing => ErrorCode::DeviceSecretMissing,
            CoreError::HeaderTampered(_) => ErrorCode::HeaderTampered,
            CoreError::HeaderForeign => ErrorCode::HeaderForeign,
            CoreError::DatabaseTampered => ErrorCode::DatabaseTampered,
            CoreError::UnsupportedVaultVersion(_) => ErrorCode::UnsupportedVaultVersion,
            CoreError::WeakPassphrase => ErrorCode::WeakPassphrase,
            CoreError::Validation { .. } => ErrorCode::Validation,
            CoreError::PermissionDenied(_) => ErrorCode::PermissionDenied,
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::Restricted => ErrorCode::Restricted,
            CoreError::NoteSigned => ErrorCode::NoteSigned,
            CoreError::Storage(_) | CoreError::Io { .. } => ErrorCode::Storage,
            CoreError::Internal(_) => ErrorCode::Internal,
            CoreError::SettingManaged(_) => ErrorCode::SettingManaged,
            CoreError::WipedAfterFailedUnlocks => ErrorCode::VaultWiped,
            CoreError::OfflineGraceExpired { .. } => ErrorCode::OfflineGraceExpired,
            CoreError::NotAllowedByPolicy(_) => ErrorCode::NotAllowedByPolicy,
        }
    }

    /// Seconds the user has to wait, for throttling errors.
    pub fn retry_after_seconds(&self) -> Option<u32> {
        match self {
            CoreError::Throttled { retry_after } => {
                Some(u32::try_from(retry_after.as_secs().max(1)).unwrap_or(u32::MAX))
            }
            _ => None,
        }
    }

    /// The input field an error is about, for validation errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CoreError::Validation { field, .. } | CoreError::SettingManaged(field) => Some(field),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> CoreError {
        let path = path.into();
        move |source| CoreError::Io { path, source }
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(error: rusqlite::Error) -> Self {
        // SQLCipher reports a page whose HMAC does not verify as "not a database"
        // or "corrupt"; both mean the file was altered after it was written.
        if let rusqlite::Error::SqliteFailure(failure, _) = &error
            && matches!(
                failure.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            )
        {
            return CoreError::DatabaseTampered;
        }
        // Only the error kind is kept: SQLite messages can quote values.
        CoreError::Storage(storage_error_summary(&error))
    }
}

fn storage_error_summary(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(failure, _) => format!("sqlite {:?}", failure.code),
        rusqlite::Error::QueryReturnedNoRows => "no rows".to_owned(),
        other => format!("{:?}", std::mem::discriminant(other)),
    }
}

pub type CoreResult<T> = Result<T, CoreError>;

#[cfg(test)]
mod error_code_tests {
    use super::ErrorCode;

    /// Where each code sits in [`ErrorCode::ALL`]. The match is exhaustive, so
    /// a new code does not compile until it is placed here and in the list.
    fn position(code: ErrorCode) -> usize {
        match code {
            ErrorCode::WrongPassphrase => 0,
            ErrorCode::Throttled => 1,
            ErrorCode::VaultLocked => 2,
            ErrorCode::VaultMissing => 3,
            ErrorCode::VaultExists => 4,
            ErrorCode::KeyringUnavailable => 5,
            ErrorCode::DeviceSecretMissing => 6,
            ErrorCode::HeaderTampered => 7,
            ErrorCode::HeaderForeign => 8,
            ErrorCode::DatabaseTampered => 9,
            ErrorCode::UnsupportedVaultVersion => 10,
            ErrorCode::WeakPassphrase => 11,
            ErrorCode::Validation => 12,
            ErrorCode::PermissionDenied => 13,
            ErrorCode::NotFound => 14,
            ErrorCode::Restricted => 15,
            ErrorCode::NoteSigned => 16,
            ErrorCode::Storage => 17,
            ErrorCode::Internal => 18,
            ErrorCode::EnrollmentTokenInvalid => 19,
            ErrorCode::EnrollmentTokenUnknown => 20,
            ErrorCode::EnrollmentTokenUsed => 21,
            ErrorCode::EnrollmentTokenExpired => 22,
            ErrorCode::EnrollmentTokenForAnotherDevice => 23,
            ErrorCode::EnrollmentTooManyAttempts => 24,
            ErrorCode::StoreUnreachable => 25,
            ErrorCode::StoreNotTrusted => 26,
            ErrorCode::StoreRefused => 27,
            ErrorCode::SettingManaged => 28,
            ErrorCode::VaultWiped => 29,
            ErrorCode::OfflineGraceExpired => 30,
            ErrorCode::NotAllowedByPolicy => 31,
        }
    }

    #[test]
    fn the_list_of_codes_holds_every_code_once() {
        for (index, code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(position(*code), index, "{code:?}");
        }
    }
}
