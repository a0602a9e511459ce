//! The sync room, the vault's side (SPEC §5), without any network: which
//! queued changes to send next, what the store's answers mean for the vault,
//! and how the store's change feed is applied. `kluis-sync` moves the bytes
//! and drives a round through [`crate::Profile`]'s replica methods.
//!
//! At its door:
//! - A record's queued changes are sent as one operation carrying the record
//!   as it is now. Once an entry has been sent it keeps its operation id, so
//!   after a crash the same id goes again and the store recognises it.
//! - One operation per record per push, with the store's last known version
//!   of the record as its base.
//! - Applying the feed never overwrites a record with unsent local changes:
//!   those are sent first and the store decides (conflict or not).
//! - Every step commits before the next begins, so a round cut short resumes.

pub mod access_log;
pub mod conflicts;
mod export;
pub mod identity;
pub mod outbox;
pub mod provisioning;
pub mod pull;
pub mod push;
pub mod rebuild;

pub use export::export_record;
pub use identity::SyncIdentity;
pub use push::{PendingOperation, PushSummary};
