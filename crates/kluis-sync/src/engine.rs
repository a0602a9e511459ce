//! One sync round between the vault and the store: check the store, push
//! every queued change, pull the feed until it is drained, then upload the
//! access log. Each step commits in the vault before the next begins, so a
//! round cut short at any point (a crash, the network gone) resumes where it
//! stopped.
//!
//! The engine sees the vault only through [`Replica`], and every call to it
//! runs on the blocking pool ([`blocking::run`]).

use std::sync::Arc;

use crate::blocking;
use crate::client::SyncClient;
use crate::error::SyncResult;
use crate::replica::Replica;

/// Operations per push.
const PUSH_BATCH: usize = 200;
/// Changes per pull: the protocol's maximum, so a first sync makes as few
/// round trips and vault transactions as it can.
const PULL_BATCH: u32 = kluis_protocol::MAX_CHANGES_PER_PULL;
/// Access-log entries per upload: the protocol's maximum.
const AUDIT_BATCH: usize = kluis_protocol::MAX_AUDIT_ENTRIES_PER_UPLOAD;

/// How far the pull of one round has come: `received` of `total` changes
/// (the total as the store counted it when the round began pulling, plus
/// whatever arrived meanwhile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PullProgress {
    pub received: u64,
    pub total: u64,
}

impl PullProgress {
    /// More than one page: long enough to be worth a progress bar (a first
    /// sync, a week offline); a page or less is over before a bar is seen.
    pub fn is_long(&self) -> bool {
        self.total > u64::from(PULL_BATCH)
    }
}

/// The steps of a round, in the order they run. A round cut short stops in
/// one of them; each commits in the vault before the next begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncPhase {
    /// Checking that the store is reachable, allowed and who we are to it.
    Check,
    /// Sending the outbox.
    Push,
    /// Receiving the feed.
    Pull,
    /// Uploading the access log.
    AccessLog,
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub pushed: u32,
    pub conflicts: u32,
    pub rejected: u32,
    pub pulled: u32,
    /// The store asked this device to rebuild, and the round did.
    pub rebuilt: bool,
    pub cursor: u64,
    /// Access-log entries the store took in this round.
    pub audit_uploaded: u32,
    /// Time spent waiting for the store's pages, and applying them here.
    pub pull_waiting: std::time::Duration,
    pub pull_applying: std::time::Duration,
}

/// Runs one round. The vault must be unlocked; a lock in the middle stops
/// the round with a vault error, and the next round resumes.
pub async fn sync_once(client: &SyncClient, replica: &Arc<impl Replica>) -> SyncResult<SyncReport> {
    sync_once_with_progress(client, replica, |_| {}).await
}

/// [`sync_once`], telling `progress` after every page pulled.
pub async fn sync_once_with_progress(
    client: &SyncClient,
    replica: &Arc<impl Replica>,
    progress: impl FnMut(PullProgress),
) -> SyncResult<SyncReport> {
    sync_once_observed(client, replica, |_| {}, progress).await
}

/// [`sync_once_with_progress`], also telling `phase` as each step of the
/// round begins (the crash drill reports where it was killed with it).
pub async fn sync_once_observed(
    client: &SyncClient,
    replica: &Arc<impl Replica>,
    mut phase: impl FnMut(SyncPhase),
    mut progress: impl FnMut(PullProgress),
) -> SyncResult<SyncReport> {
    phase(SyncPhase::Check);
    client.check_server().await?;
    let me = client.whoami().await?;
    let device_id = me.device_id.clone();
    blocking::run(replica, move |vault| vault.store_contact(&device_id)).await?;
    tracing::debug!("the store is reachable and allowed");
    let mut report = SyncReport::default();
    phase(SyncPhase::Push);
    push(client, replica, &mut report).await?;
    if me.wipe_requested {
        // IT asked this device to erase itself. What was written here is
        // sent first, and the access log with it, so that the wipe loses no
        // note and no trace of who read what; nothing more is received.
        phase(SyncPhase::AccessLog);
        upload_access_log(client, replica, &mut report).await?;
        return Err(crate::SyncError::WipeRequested {
            device_id: me.device_id,
        });
    }
    let mut received = 0u64;
    phase(SyncPhase::Pull);
    loop {
        let cursor = blocking::run(replica, |vault| vault.cursor()).await?;
        let started = std::time::Instant::now();
        let page = match client.pull(cursor, PULL_BATCH).await {
            Ok(page) => page,
            // Away longer than the store keeps tombstones: start over from
            // the beginning of the feed (once: a cursor of 0 is always taken).
            Err(crate::SyncError::Refused {
                code: kluis_protocol::ErrorCode::RebuildRequired,
                ..
            }) if cursor > 0 => {
                tracing::info!(cursor, "the store asks this device to rebuild");
                blocking::run(replica, |vault| vault.start_rebuild()).await?;
                report.rebuilt = true;
                continue;
            }
            Err(error) => return Err(error),
        };
        report.pull_waiting += started.elapsed();
        let started = std::time::Instant::now();
        let (cursor, changes, remaining, more) =
            (page.cursor, page.changes.len(), page.remaining, page.more);
        report.pulled += blocking::run(replica, move |vault| vault.apply_pull(&page)).await?;
        report.pull_applying += started.elapsed();
        report.cursor = cursor;
        received += changes as u64;
        tracing::debug!(received, remaining, "pulled a page");
        progress(PullProgress {
            received,
            total: received + remaining,
        });
        if !more {
            break;
        }
    }
    phase(SyncPhase::AccessLog);
    upload_access_log(client, replica, &mut report).await?;
    Ok(report)
}

/// Sends the outbox, a batch at a time, until it is empty.
async fn push(
    client: &SyncClient,
    replica: &Arc<impl Replica>,
    report: &mut SyncReport,
) -> SyncResult<()> {
    loop {
        let batch = blocking::run(replica, |vault| vault.next_batch(PUSH_BATCH)).await?;
        if batch.is_empty() {
            break;
        }
        let operations = batch
            .iter()
            .map(|pending| pending.operation.clone())
            .collect();
        let response = client.push(operations).await?;
        let summary =
            blocking::run(replica, move |vault| vault.acknowledge(&batch, &response)).await?;
        tracing::debug!(?summary, "pushed a batch");
        report.pushed += summary.applied;
        report.conflicts += summary.conflicts;
        report.rejected += summary.rejected;
    }
    Ok(())
}

/// Uploads the access log the store does not hold yet.
async fn upload_access_log(
    client: &SyncClient,
    replica: &Arc<impl Replica>,
    report: &mut SyncReport,
) -> SyncResult<()> {
    loop {
        let entries =
            blocking::run(replica, |vault| vault.access_log_to_upload(AUDIT_BATCH)).await?;
        let Some(last) = entries.last().map(|entry| entry.seq) else {
            break;
        };
        let count = entries.len() as u32;
        let answer = client.upload_audit(entries).await?;
        let stored_through = answer.stored_through;
        blocking::run(replica, move |vault| {
            vault.access_log_uploaded(stored_through)
        })
        .await?;
        tracing::debug!(
            stored_through = answer.stored_through,
            "uploaded access-log entries"
        );
        report.audit_uploaded += count;
        if answer.stored_through < last {
            return Err(crate::SyncError::Unexpected(
                "the store did not keep the access log it was sent".to_owned(),
            ));
        }
    }
    Ok(())
}
