//! The outbox (SPEC §5): every local change names its record here, in the same
//! transaction as the change itself, so that nothing written is ever left
//! unsent and nothing unwritten is ever sent. `kluis-sync` reads it.

use rusqlite::{Connection, params};

pub use kluis_protocol::RecordKind;

use crate::error::CoreResult;
use crate::record::scope::now_utc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncAction {
    Upsert,
    Delete,
}

kluis_protocol::wire_text!(SyncAction {
    Upsert => "upsert",
    Delete => "delete",
});

/// Queues a change for the store. Call it inside the change's own unit of
/// work (`db::atomically`).
pub(crate) fn record_change(
    connection: &Connection,
    kind: RecordKind,
    record_id: &str,
    action: SyncAction,
) -> CoreResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO outbox (op_id, kind, record_id, action, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            uuid::Uuid::new_v4().to_string(),
            kind,
            record_id,
            action,
            now_utc()
        ])?;
    Ok(())
}
