//! The tombstone horizon (SPEC §5, §6): a deleted or erased record leaves a
//! tombstone without content in the feed, so that every device removes its
//! copy. The store keeps tombstones for a while (`DEFAULT_KEEP_DAYS`) and
//! then removes them; a device that was away longer would never hear of
//! those removals, so its pull is answered `rebuild_required` and it
//! rebuilds from the store (keeping only what the store still holds)
//! instead of pulling on. An erased client can never come back: the
//! erasure itself is kept for good, and a client it names is refused.
//!
//! Once a day the store notes where its feed stands ([`Store::mark_feed`]);
//! tombstones up to the newest mark older than the horizon are removed.
//! The clock is passed in, so tests control it.

use chrono::{DateTime, Duration, Utc};

use crate::error::ServerResult;
use crate::store::{Store, timestamp};

/// Longer than any offline grace a managed policy allows (at most 365
/// days): a device within its policy never needs to rebuild.
pub const DEFAULT_KEEP_DAYS: u32 = 400;

/// What a run removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pruned {
    /// Tombstones up to this feed position are gone.
    pub through: u64,
    pub removed: u64,
}

/// Notes where the feed stands at `now` and removes the tombstones older
/// than `keep_days`.
pub fn run<S: Store>(store: &S, now: DateTime<Utc>, keep_days: u32) -> ServerResult<Pruned> {
    let at = timestamp(now);
    let cutoff = timestamp(now - Duration::days(i64::from(keep_days)));
    let pruned = store.transaction(|transaction| {
        transaction.mark_feed(&at)?;
        let before = transaction.pruned_through()?;
        let Some(through) = transaction.feed_mark_before(&cutoff)? else {
            return Ok(Pruned {
                through: before,
                removed: 0,
            });
        };
        if through <= before {
            return Ok(Pruned {
                through: before,
                removed: 0,
            });
        }
        let removed = transaction.prune_tombstones(through, &at)?;
        transaction.forget_feed_marks(&cutoff)?;
        Ok(Pruned { through, removed })
    })?;
    if pruned.removed > 0 {
        store.purge_after_erasure()?;
    }
    Ok(pruned)
}
