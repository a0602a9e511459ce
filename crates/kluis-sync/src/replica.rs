//! The one seam between the sync engine and the vault.
//!
//! The engine moves bytes; the vault decides what they mean. Everything the
//! engine asks of the vault in a round is in [`Replica`], so the engine runs
//! against the real vault ([`kluis_core::Profile`]) in the app and against a
//! fake in the engine's own tests. Each call is one vault transaction and
//! runs off the async runtime ([`crate::blocking`]): a page of a thousand
//! records is applied on a blocking thread, not on a tokio worker.

use kluis_core::CoreResult;
use kluis_core::sync::{PendingOperation, PushSummary};
use kluis_protocol::{AuditEntry, PullResponse, PushResponse};

/// The vault as one sync round sees it. A locked vault answers
/// `CoreError::Locked` to every call, which ends the round.
pub trait Replica: Send + Sync + 'static {
    /// The next queued changes to send, at most `limit`; none when the
    /// outbox is empty.
    fn next_batch(&self, limit: usize) -> CoreResult<Vec<PendingOperation>>;
    /// What the store did with a batch: sent entries leave the outbox,
    /// conflicts and refusals are kept for the author.
    fn acknowledge(
        &self,
        batch: &[PendingOperation],
        answer: &PushResponse,
    ) -> CoreResult<PushSummary>;
    /// Where in the store's feed this vault stands.
    fn cursor(&self) -> CoreResult<u64>;
    /// Applies one page of the feed and moves the cursor past it; returns
    /// how many records changed here.
    fn apply_pull(&self, page: &PullResponse) -> CoreResult<u32>;
    /// The store no longer keeps tombstones this vault may have missed:
    /// pull from the start and let go of what the store no longer holds.
    fn start_rebuild(&self) -> CoreResult<()>;
    /// Access-log entries the store does not hold yet, oldest first.
    fn access_log_to_upload(&self, limit: usize) -> CoreResult<Vec<AuditEntry>>;
    /// The store holds the access log up to and including `seq`.
    fn access_log_uploaded(&self, seq: u64) -> CoreResult<()>;
    /// The store answered, knowing this device as `device_id`: the time of
    /// the last contact (for the offline grace period) and the device card
    /// a locked device reports a wipe with.
    fn store_contact(&self, device_id: &str) -> CoreResult<()>;
}

impl Replica for kluis_core::Profile {
    fn next_batch(&self, limit: usize) -> CoreResult<Vec<PendingOperation>> {
        self.sync_next_batch(limit)
    }

    fn acknowledge(
        &self,
        batch: &[PendingOperation],
        answer: &PushResponse,
    ) -> CoreResult<PushSummary> {
        self.sync_acknowledge(batch, answer)
    }

    fn cursor(&self) -> CoreResult<u64> {
        self.sync_cursor()
    }

    fn apply_pull(&self, page: &PullResponse) -> CoreResult<u32> {
        self.sync_apply_pull(page)
    }

    fn start_rebuild(&self) -> CoreResult<()> {
        self.sync_start_rebuild()
    }

    fn access_log_to_upload(&self, limit: usize) -> CoreResult<Vec<AuditEntry>> {
        self.sync_audit_to_upload(limit)
    }

    fn access_log_uploaded(&self, seq: u64) -> CoreResult<()> {
        self.sync_audit_uploaded(seq)
    }

    fn store_contact(&self, device_id: &str) -> CoreResult<()> {
        self.note_store_contact(device_id, chrono::Utc::now())
    }
}
