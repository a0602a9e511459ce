//! The access log's upload: how far the store holds this vault's chain.

use kluis_protocol::AuditEntry;
use rusqlite::Connection;

use crate::error::CoreResult;

/// Access-log entries the store does not hold yet, oldest first.
pub fn audit_to_upload(
    connection: &Connection,
    chain_id: &str,
    limit: usize,
) -> CoreResult<Vec<AuditEntry>> {
    let uploaded: i64 = connection.query_row(
        "SELECT audit_uploaded_seq FROM sync_state WHERE singleton = 1",
        [],
        |row| row.get(0),
    )?;
    crate::audit::entries_after(
        connection,
        chain_id,
        u64::try_from(uploaded).unwrap_or(0),
        limit,
    )
}

/// The store holds the access log up to and including `seq`.
pub fn audit_uploaded(connection: &Connection, seq: u64) -> CoreResult<()> {
    connection.execute(
        "UPDATE sync_state SET audit_uploaded_seq = max(audit_uploaded_seq, ?1) WHERE singleton = 1",
        [i64::try_from(seq).unwrap_or(i64::MAX)],
    )?;
    Ok(())
}
