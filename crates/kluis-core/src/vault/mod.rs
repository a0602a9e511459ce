//! The vault room: one SQLCipher file per device and practitioner, its header
//! and its throttle file, and the key hierarchy that opens it (SPEC §4).
//!
//! At its door: nothing leaves this room decrypted except through an
//! [`OpenVault`]'s connection, every key is a zeroizing type from [`secret`],
//! and a wrong passphrase costs the throttle's delay before it is even tried.

pub mod db;
pub mod fsutil;
pub mod header;
pub mod integrity;
pub mod kdf;
pub mod keystore;
mod open;
pub mod secret;
pub mod strength;
pub mod throttle;

pub use open::{OpenVault, UnlockTimings, Vault, VaultConfig, VaultFiles};
