//! The Kluis central store (SPEC §2, §4, §5).
//!
//! axum over rustls: every connection but enrollment's must present a client
//! certificate issued by the provider's CA; the certificate's fingerprint
//! names a device, the device a practitioner, the practitioner a role. A
//! device gets its certificate by enrollment (`enrollment.rs`): a one-time
//! token IT makes, and a certificate request whose key never leaves the
//! device. Storage sits behind one
//! trait ([`store::Store`]) with two back ends, embedded SQLite and PostgreSQL,
//! that run the same SQL (`sql.rs`). IT's tool, `kluis-admin`, manages the CA,
//! enrollment tokens, devices and assignments and never sees note content.
#![forbid(unsafe_code)]

pub mod audit;
pub mod enrollment;
pub mod error;
pub mod horizon;
mod migrations;
pub mod pki;
pub mod postgres;
pub mod report;
pub mod retention;
pub mod server;
mod sql;
pub mod sqlite;
pub mod store;
pub mod sync;
pub mod wipe;

pub use error::{ServerError, ServerResult};
