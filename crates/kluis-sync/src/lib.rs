//! The app's side of sync (SPEC §4, §5): a client of the central store over
//! mutual TLS that trusts only the provider's CA, presents the device's
//! certificate, refuses a store outside the allowed regions, and tells the
//! app in plain terms what went wrong (offline, not trusted, revoked…).
#![forbid(unsafe_code)]

mod backoff;
pub mod blocking;
mod client;
mod connection;
mod engine;
mod enroll;
mod error;
pub mod grace;
mod replica;
pub mod wipe;

pub use backoff::Backoff;
pub use client::{EEA_REGIONS, SyncClient, SyncConfig, ca_fingerprint};
pub use connection::DeviceConnection;
pub use engine::{
    PullProgress, SyncPhase, SyncReport, sync_once, sync_once_observed, sync_once_with_progress,
};
pub use enroll::{Enrolled, enroll};
pub use error::{SyncError, SyncResult};
pub use replica::Replica;
