//! One sync round between the vault and the store: check the store, push
//! every queued change, then pull the feed until it is drained. Each step
//! commits in the vault before the next begins, so a round cut short at any
//! point (a crash, the network gone) resumes where it stopped.

use kluis_core::Kluis;

use crate::client::SyncClient;
use crate::error::SyncResult;

/// Operations per push and changes per pull.
const BATCH: usize = 200;

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub pushed: u32,
    pub conflicts: u32,
    pub rejected: u32,
    pub pulled: u32,
    pub cursor: u64,
}

/// Runs one round. The vault must be unlocked; a lock in the middle stops
/// the round with a vault error, and the next round resumes.
pub async fn sync_once(client: &SyncClient, kluis: &Kluis) -> SyncResult<SyncReport> {
    client.check_server().await?;
    let mut report = SyncReport::default();
    loop {
        let batch = kluis.sync_next_batch(BATCH)?;
        if batch.is_empty() {
            break;
        }
        let operations = batch
            .iter()
            .map(|pending| pending.operation.clone())
            .collect();
        let response = client.push(operations).await?;
        let summary = kluis.sync_acknowledge(&batch, &response)?;
        report.pushed += summary.applied;
        report.conflicts += summary.conflicts;
        report.rejected += summary.rejected;
    }
    loop {
        let cursor = kluis.sync_cursor()?;
        let page = client.pull(cursor, BATCH as u32).await?;
        report.pulled += kluis.sync_apply_pull(&page)?;
        report.cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    Ok(report)
}
