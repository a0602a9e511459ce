//! Kluis core: the domain and the encrypted vault. No GUI, no network.
//!
//! Start at [`Kluis`], the facade the desktop shell calls, and [`vault::Vault`],
//! which turns a passphrase and the OS keyring's device secret into an open
//! SQLCipher database.
//!
//! No `unsafe` here: the allocator and the memory scanner that need it live in
//! `kluis-memory`.
#![forbid(unsafe_code)]

/// Gives a fieldless enum its stored text: `as_str`, and `ToSql`/`FromSql` so
/// rows read and write it directly. Unknown text in the vault is a storage
/// error, never a panic.
macro_rules! text_enum {
    ($type:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $type {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl rusqlite::types::ToSql for $type {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }

        impl rusqlite::types::FromSql for $type {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                match value.as_str()? {
                    $($text => Ok(Self::$variant),)+
                    _ => Err(rusqlite::types::FromSqlError::InvalidType),
                }
            }
        }
    };
}

pub mod audit;
pub mod clients;
pub mod clipboard;
pub mod conflicts;
pub mod consults;
pub mod db;
pub mod demo;
pub mod error;
pub mod fsutil;
pub mod header;
pub mod integrity;
pub mod kdf;
pub mod keystore;
mod kluis;
pub mod notes;
pub mod outbox;
pub mod practitioner;
pub mod provisioning;
pub mod scope;
pub mod search;
pub mod secret;
pub mod settings;
pub mod strength;
pub mod sync;
pub mod throttle;
pub mod timeline;
pub mod vault;
mod workspace;

pub use error::{CoreError, CoreResult, ErrorCode};
pub use kluis::{Kluis, LockOutcome, ProfileStatus, SessionInfo};
