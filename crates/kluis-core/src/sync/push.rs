//! Outgoing, second half: which queued changes to send next (one operation
//! per record, with its base version), and what the store's answers to a
//! push mean for the vault.

use kluis_protocol::{
    Action, ErasureReason, Operation, Outcome, PushResponse, RecordKind, RecordRef,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{CoreError, CoreResult};
use crate::record::scope::now_utc;
use crate::sync::outbox::SyncAction;
use crate::vault::db;

use super::export::export_record;
use super::export::{known_version, text_of};

/// One operation ready to send, and the outbox entry it stands for.
#[derive(Debug, Clone)]
pub struct PendingOperation {
    pub entry_seq: i64,
    pub kind: RecordKind,
    pub record_id: String,
    pub operation: Operation,
}

/// What a push did to the vault.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushSummary {
    pub applied: u32,
    pub conflicts: u32,
    pub rejected: u32,
}

/// A stored enumeration's text as its value; anything else is damage.
struct Entry {
    seq: i64,
    op_id: String,
    action: SyncAction,
    attempted: bool,
}

/// The next operations to send, at most one per record and `limit` in all.
/// Marks them attempted, in one transaction.
pub fn next_batch(connection: &Connection, limit: usize) -> CoreResult<Vec<PendingOperation>> {
    db::atomically(connection, || {
        let records: Vec<(RecordKind, String)> = connection
            .prepare_cached(
                "SELECT kind, record_id FROM outbox GROUP BY kind, record_id ORDER BY MIN(seq) LIMIT ?1",
            )?
            .query_map([limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut batch = Vec::with_capacity(records.len());
        for (kind, record_id) in records {
            let entries: Vec<Entry> = connection
                .prepare_cached(
                    "SELECT seq, op_id, action, attempted_at IS NOT NULL FROM outbox \
                     WHERE kind = ?1 AND record_id = ?2 ORDER BY seq",
                )?
                .query_map(params![kind, record_id], |row| {
                    Ok(Entry {
                        seq: row.get(0)?,
                        op_id: row.get(1)?,
                        action: row.get(2)?,
                        attempted: row.get(3)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            // A sent entry goes again as it was; unsent ones collapse into the
            // newest, which describes the record as it is now.
            let chosen = match entries.iter().find(|entry| entry.attempted) {
                Some(sent) => sent,
                None => {
                    let Some(newest) = entries.last() else {
                        continue;
                    };
                    connection.execute(
                        "DELETE FROM outbox WHERE kind = ?1 AND record_id = ?2 AND seq < ?3",
                        params![kind, record_id, newest.seq],
                    )?;
                    newest
                }
            };
            let base_version = known_version(connection, kind, &record_id)?;
            let action = match chosen.action {
                SyncAction::Upsert => match export_record(connection, kind, &record_id)? {
                    Some(record) => Action::Upsert {
                        record: Box::new(record),
                        base_version,
                    },
                    // Deleted here since: a later delete entry follows.
                    None => {
                        connection.execute("DELETE FROM outbox WHERE seq = ?1", [chosen.seq])?;
                        continue;
                    }
                },
                // A client is never deleted: its delete entry is an erasure,
                // which needs no base version (it wins over any edit).
                SyncAction::Delete if kind == RecordKind::Client => Action::EraseClient {
                    client_id: record_id.clone(),
                    reason: erasure_reason(connection, &record_id)?,
                },
                SyncAction::Delete => match base_version {
                    Some(base_version) => Action::Delete {
                        target: RecordRef {
                            kind,
                            id: record_id.clone(),
                        },
                        base_version,
                    },
                    // Never reached the store: nothing to delete there.
                    None => {
                        connection.execute(
                            "DELETE FROM outbox WHERE kind = ?1 AND record_id = ?2 AND seq <= ?3",
                            params![kind, record_id, chosen.seq],
                        )?;
                        continue;
                    }
                },
            };
            connection.execute(
                "UPDATE outbox SET attempted_at = COALESCE(attempted_at, ?2) WHERE seq = ?1",
                params![chosen.seq, now_utc()],
            )?;
            let op_id = uuid::Uuid::parse_str(&chosen.op_id)
                .map_err(|_| CoreError::Storage("unreadable operation id".to_owned()))?;
            batch.push(PendingOperation {
                entry_seq: chosen.seq,
                kind,
                record_id,
                operation: kluis_protocol::Operation { op_id, action },
            });
        }
        Ok(batch)
    })
}

pub(super) fn remember_version(
    connection: &Connection,
    kind: RecordKind,
    id: &str,
    version: u64,
    body: Option<&str>,
) -> CoreResult<()> {
    // Only client and consult edits are merged field by field, so only they
    // need the store's version as a base; notes and addenda never do.
    let body = body.filter(|_| matches!(kind, RecordKind::Client | RecordKind::Consult));
    connection
        .prepare_cached(
            "INSERT INTO sync_record (kind, record_id, server_version, base_body) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (kind, record_id) DO UPDATE SET server_version = excluded.server_version, \
             base_body = excluded.base_body",
        )?
        .execute(params![kind, id, i64::try_from(version).unwrap_or(i64::MAX), body])?;
    Ok(())
}

/// Records what the store did with a batch: sent entries leave the outbox,
/// conflicts and refusals are kept for the author with the local version.
pub fn acknowledge(
    connection: &Connection,
    batch: &[PendingOperation],
    response: &PushResponse,
) -> CoreResult<PushSummary> {
    db::atomically(connection, || {
        let mut summary = PushSummary::default();
        for pending in batch {
            let Some(result) = response
                .results
                .iter()
                .find(|result| result.op_id == pending.operation.op_id)
            else {
                continue;
            };
            let body = match &pending.operation.action {
                Action::Upsert { record, .. } => Some(
                    serde_json::to_string(record)
                        .map_err(|error| CoreError::Internal(error.to_string()))?,
                ),
                Action::Delete { .. } | Action::EraseClient { .. } => None,
            };
            match &result.outcome {
                Outcome::Applied { version } | Outcome::AlreadyApplied { version } => {
                    remember_version(
                        connection,
                        pending.kind,
                        &pending.record_id,
                        *version,
                        body.as_deref(),
                    )?;
                    summary.applied += 1;
                }
                Outcome::Conflict { current_version } => {
                    // Client and consult edits merge when the store's version
                    // arrives in the feed; a draft never merges, so the
                    // author decides at once.
                    let reason = matches!(pending.kind, RecordKind::Note | RecordKind::Addendum)
                        .then_some(EDITED_ON_BOTH_SIDES);
                    keep_for_author(
                        connection,
                        pending,
                        body.as_deref(),
                        Some(*current_version),
                        reason,
                    )?;
                    summary.conflicts += 1;
                }
                Outcome::Rejected { code, rule, .. } => {
                    tracing::warn!(
                        ?code,
                        ?rule,
                        kind = pending.kind.as_str(),
                        "the store refused a change"
                    );
                    keep_for_author(
                        connection,
                        pending,
                        body.as_deref(),
                        None,
                        Some(&text_of(code)?),
                    )?;
                    summary.rejected += 1;
                }
            }
            connection.execute(
                "DELETE FROM outbox WHERE kind = ?1 AND record_id = ?2 AND seq <= ?3",
                params![pending.kind, pending.record_id, pending.entry_seq],
            )?;
        }
        Ok(summary)
    })
}

/// `sync_conflict.reason` of a change that was also made elsewhere and is
/// waiting for the author's choice (see `conflicts`). A conflict without a
/// reason is a client or consult edit still waiting for the store's version
/// to merge with; any other reason is the store's refusal code.
pub(crate) const EDITED_ON_BOTH_SIDES: &str = "edited_on_both_sides";

pub(super) fn keep_for_author(
    connection: &Connection,
    pending: &PendingOperation,
    local_body: Option<&str>,
    server_version: Option<u64>,
    reason: Option<&str>,
) -> CoreResult<()> {
    connection.execute(
        "INSERT INTO sync_conflict (kind, record_id, local_body, server_version, reason, detected_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (kind, record_id) DO UPDATE SET \
         local_body = excluded.local_body, server_version = excluded.server_version, \
         reason = excluded.reason, detected_at = excluded.detected_at",
        params![
            pending.kind,
            pending.record_id,
            local_body,
            server_version.map(|version| i64::try_from(version).unwrap_or(i64::MAX)),
            reason,
            now_utc()
        ],
    )?;
    Ok(())
}

/// Changes written here and not yet accepted by the store.
pub fn pending_count(connection: &Connection) -> CoreResult<u32> {
    Ok(connection.query_row(
        "SELECT count(DISTINCT kind || ':' || record_id) FROM outbox",
        [],
        |row| row.get(0),
    )?)
}

/// Why this device erased a client (recorded with the erasure); an erasure
/// without a recorded reason was asked for by the client.
fn erasure_reason(connection: &Connection, client_id: &str) -> CoreResult<ErasureReason> {
    let reason: Option<Option<ErasureReason>> = connection
        .query_row(
            "SELECT reason FROM client_erasure WHERE client_id = ?1",
            [client_id],
            |row| row.get(0),
        )
        .optional()?;
    Ok(reason.flatten().unwrap_or_default())
}
