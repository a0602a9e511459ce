//! Kluis core: the domain and the encrypted vault. No GUI, no network.
//!
//! Start at [`Kluis`], the facade the desktop shell calls, and [`vault::Vault`],
//! which turns a passphrase and the OS keyring's device secret into an open
//! SQLCipher database.

pub mod clients;
pub mod db;
pub mod demo;
pub mod error;
mod fsutil;
pub mod header;
pub mod kdf;
pub mod keystore;
mod kluis;
pub mod memory;
pub mod memscan;
pub mod practitioner;
pub mod secret;
pub mod settings;
pub mod strength;
pub mod throttle;
pub mod vault;

pub use error::{CoreError, CoreResult, ErrorCode};
pub use kluis::{Kluis, LockOutcome, ProfileStatus, SessionInfo};
