//! Rebuilding from the store. The store keeps tombstones only so long (see
//! `kluis_server::horizon`); a device whose cursor is older is answered
//! `rebuild_required`, because it may have missed a deletion or an erasure
//! whose tombstone is gone. It then pulls the whole feed from the start,
//! noting every record the feed names, and when the feed is drained it lets
//! go of every record it got from the store that the feed no longer names:
//! a client goes with everything of it (as an erasure does: notes, drafts,
//! unsent changes, conflicts, search postings), a consult or a draft on its
//! own. A client erased in the store thus cannot come back from a device
//! that was away, and nothing it held stays behind.
//!
//! What was made here and never reached the store is kept (it is in the
//! outbox and has no `sync_record` row), unless it belongs to a client that
//! goes. The state lives in the vault, so a rebuild cut short by a crash or
//! a lost connection goes on where it was at the next round.

use kluis_protocol::{PullResponse, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::CoreResult;
use crate::record::scope::now_utc;
use crate::vault::db;

/// Starts a rebuild: the cursor goes back to the start of the feed.
pub fn start(connection: &Connection) -> CoreResult<()> {
    db::atomically(connection, || {
        connection.execute("DELETE FROM sync_rebuild_seen", [])?;
        connection.execute(
            "INSERT INTO sync_rebuild (singleton, started_at) VALUES (1, ?1) \
             ON CONFLICT (singleton) DO UPDATE SET started_at = ?1",
            [now_utc()],
        )?;
        connection.execute("UPDATE sync_state SET cursor = 0 WHERE singleton = 1", [])?;
        Ok(())
    })
}

/// Whether a rebuild is under way.
pub fn in_progress(connection: &Connection) -> CoreResult<bool> {
    Ok(connection
        .prepare_cached("SELECT 1 FROM sync_rebuild WHERE singleton = 1")?
        .query_row([], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Inside a page's transaction: notes what the page names and, on the last
/// page, finishes the rebuild. Returns how many clients were let go.
pub(crate) fn after_page(connection: &Connection, page: &PullResponse) -> CoreResult<u32> {
    if !in_progress(connection)? {
        return Ok(0);
    }
    {
        let mut seen = connection.prepare_cached(
            "INSERT INTO sync_rebuild_seen (kind, record_id) VALUES (?1, ?2) \
             ON CONFLICT DO NOTHING",
        )?;
        for change in &page.changes {
            let target = match &change.payload {
                kluis_protocol::ChangePayload::Record { record } => record.reference(),
                kluis_protocol::ChangePayload::Tombstone { target } => target.clone(),
            };
            seen.execute(params![target.kind, target.id])?;
        }
    }
    if page.more {
        return Ok(0);
    }
    let gone: Vec<(RecordKind, String)> = connection
        .prepare(
            "SELECT s.kind, s.record_id FROM sync_record s WHERE NOT EXISTS \
             (SELECT 1 FROM sync_rebuild_seen x WHERE x.kind = s.kind AND x.record_id = s.record_id) \
             ORDER BY s.kind, s.record_id",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut clients = 0;
    for (kind, id) in &gone {
        // A consult or a draft goes as its tombstone would take it; a signed
        // note and an addendum go only with their client.
        if *kind == RecordKind::Client {
            crate::record::erasure::forget_client(connection, id)?;
            clients += 1;
        } else {
            super::pull::remove_record(connection, *kind, id)?;
        }
        connection.execute(
            "DELETE FROM sync_record WHERE kind = ?1 AND record_id = ?2",
            params![kind, id],
        )?;
    }
    connection.execute("DELETE FROM sync_rebuild_seen", [])?;
    connection.execute("DELETE FROM sync_rebuild", [])?;
    tracing::info!(
        records = gone.len(),
        clients,
        "rebuilt from the store: let go of what it no longer holds"
    );
    Ok(clients)
}
