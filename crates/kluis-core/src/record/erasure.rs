//! Erasing a client from this vault (AVG art. 17; SPEC §6).
//!
//! Every trace of the client's content goes in one transaction: the client,
//! its notes (signed ones too) and their addenda, the consults that were
//! only the client's (a group consult loses the client and stays), the
//! search index's postings, the outbox entries and the store's last bodies
//! kept for merging, conflicts kept for the author, and the resume point if
//! it pointed into the record. What stays is the access log, which never held
//! content, and a row naming the erased client, so that a pull never takes
//! it in again.
//!
//! The vault deletes with `secure_delete` on (every connection, see
//! `vault::db`), so freed pages are zeroed; the search index is merged so
//! that no segment keeps the erased words; and the write-ahead log is
//! checkpointed and truncated, so no old page survives there either.
//!
//! This is the vault's half. Carrying the erasure to the store and the other
//! devices (tombstones, acknowledgements) builds on it.

use rusqlite::{Connection, OptionalExtension, params};

use crate::audit::{AuditAction, RecordPart};
use crate::error::{CoreError, CoreResult};
use crate::record::practitioner::Role;
use crate::record::scope::{Scope, Target, now_utc};
use crate::vault::db;
pub use kluis_protocol::ErasureReason;

/// What an erasure removed here, for the confirmation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ErasureSummary {
    pub notes: u32,
    pub addenda: u32,
    pub consults: u32,
}

/// Erases `client_id` from the vault, for `reason` (which travels to the
/// store with the erasure). Only a psychologist on the client's care team
/// may; a refusal is logged like any other. Retention is the store's reason
/// alone.
pub fn erase_client(
    scope: &Scope<'_>,
    client_id: &str,
    reason: ErasureReason,
) -> CoreResult<ErasureSummary> {
    if reason == ErasureReason::Retention {
        return Err(CoreError::Validation {
            field: "reason",
            reason: "only the store erases for retention",
        });
    }
    let target = Target::new(RecordPart::Client).client(client_id);
    scope.require_assigned(client_id, AuditAction::Delete, RecordPart::Client)?;
    scope.authorize(
        scope.practitioner.role == Role::Psychologist,
        AuditAction::Delete,
        target,
        "only a psychologist erases a client",
    )?;
    let connection = scope.connection;
    let summary = db::atomically(connection, || {
        connection.execute(
            "INSERT INTO client_erasure (client_id, erased_at, erasing, reason) \
             VALUES (?1, ?2, 1, ?3) \
             ON CONFLICT (client_id) DO UPDATE SET erasing = 1, reason = ?3",
            params![client_id, now_utc(), reason],
        )?;
        let summary = remove_everything_of(connection, client_id)?;
        connection.execute(
            "UPDATE client_erasure SET erasing = 0 WHERE client_id = ?1",
            [client_id],
        )?;
        // The store and the other devices erase it too (see `sync::push`:
        // a client's delete entry goes as an erasure).
        crate::sync::outbox::record_change(
            connection,
            kluis_protocol::RecordKind::Client,
            client_id,
            crate::sync::outbox::SyncAction::Delete,
        )?;
        // The access log keeps that it happened: who, when, which client id.
        scope.log(AuditAction::Delete, target)?;
        Ok(summary)
    })?;
    purge_freed_pages(connection)?;
    tracing::info!(
        notes = summary.notes,
        consults = summary.consults,
        "a client was erased from this vault"
    );
    Ok(summary)
}

/// The store says a client was erased (its tombstone arrived in the feed):
/// everything of the client goes here too, unsent changes included (an
/// erasure wins over any edit). The caller's transaction holds it;
/// [`purge_freed_pages`] follows the commit.
pub(crate) fn erase_from_feed(connection: &Connection, client_id: &str) -> CoreResult<()> {
    connection.execute(
        "INSERT INTO client_erasure (client_id, erased_at, erasing) VALUES (?1, ?2, 1) \
         ON CONFLICT (client_id) DO UPDATE SET erasing = 1",
        params![client_id, now_utc()],
    )?;
    match remove_everything_of(connection, client_id) {
        // Never held here, or erased here before: nothing left to remove.
        Ok(_) | Err(CoreError::NotFound(_)) => {}
        Err(error) => return Err(error),
    }
    connection.execute(
        "UPDATE client_erasure SET erasing = 0 WHERE client_id = ?1",
        [client_id],
    )?;
    Ok(())
}

/// A rebuild found the client gone from the store (erased there, or no
/// longer on this practitioner's care team): everything of it goes as in an
/// erasure, but no erasure is kept, so the client can come back if the
/// store sends it again (a new assignment).
pub(crate) fn forget_client(connection: &Connection, client_id: &str) -> CoreResult<()> {
    let erased_before = was_erased(connection, client_id)?;
    erase_from_feed(connection, client_id)?;
    if !erased_before {
        connection.execute(
            "DELETE FROM client_erasure WHERE client_id = ?1",
            [client_id],
        )?;
    }
    Ok(())
}

/// Whether `client_id` was erased here (a pull does not take it in again).
pub(crate) fn was_erased(connection: &Connection, client_id: &str) -> CoreResult<bool> {
    Ok(connection
        .prepare_cached("SELECT 1 FROM client_erasure WHERE client_id = ?1")?
        .query_row([client_id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn ids(connection: &Connection, sql: &str, client_id: &str) -> CoreResult<Vec<String>> {
    let mut statement = connection.prepare(sql)?;
    let rows = statement.query_map([client_id], |row| row.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn remove_everything_of(connection: &Connection, client_id: &str) -> CoreResult<ErasureSummary> {
    let notes = ids(
        connection,
        "SELECT id FROM note WHERE client_id = ?1",
        client_id,
    )?;
    let addenda = ids(
        connection,
        "SELECT a.id FROM note_addendum a JOIN note n ON n.id = a.note_id WHERE n.client_id = ?1",
        client_id,
    )?;
    // Consults of this client alone go; a group consult only loses the client.
    let own_consults = ids(
        connection,
        "SELECT consult_id FROM consult_client WHERE client_id = ?1 AND consult_id NOT IN \
         (SELECT consult_id FROM consult_client WHERE client_id <> ?1)",
        client_id,
    )?;

    let mut records: Vec<(&str, &str)> = vec![("client", client_id)];
    records.extend(notes.iter().map(|id| ("note", id.as_str())));
    records.extend(addenda.iter().map(|id| ("addendum", id.as_str())));
    records.extend(own_consults.iter().map(|id| ("consult", id.as_str())));
    for (kind, id) in &records {
        for statement in [
            "DELETE FROM outbox WHERE kind = ?1 AND record_id = ?2",
            "DELETE FROM sync_record WHERE kind = ?1 AND record_id = ?2",
            "DELETE FROM sync_conflict WHERE kind = ?1 AND record_id = ?2",
        ] {
            connection
                .prepare_cached(statement)?
                .execute(params![kind, id])?;
        }
    }
    // The search index: the client's document and every note's.
    let keys = ids(
        connection,
        "SELECT CAST(key AS TEXT) FROM search_document WHERE client_id = ?1",
        client_id,
    )?;
    for key in &keys {
        connection.execute(
            "DELETE FROM search_index WHERE rowid = CAST(?1 AS INTEGER)",
            [key],
        )?;
    }
    connection.execute(
        "DELETE FROM search_document WHERE client_id = ?1",
        [client_id],
    )?;
    // A resume point is a place in the app: it names records by id.
    let resume = crate::record::workspace::resume_point(connection)?;
    if let Some(point) = resume
        && records.iter().any(|(_, id)| point.contains(id))
    {
        crate::record::workspace::set_resume_point(connection, None)?;
    }

    connection.execute(
        "DELETE FROM note_addendum WHERE note_id IN (SELECT id FROM note WHERE client_id = ?1)",
        [client_id],
    )?;
    connection.execute("DELETE FROM note WHERE client_id = ?1", [client_id])?;
    for consult in &own_consults {
        connection.execute("DELETE FROM consult WHERE id = ?1", [consult])?;
    }
    connection.execute(
        "DELETE FROM consult_client WHERE client_id = ?1",
        [client_id],
    )?;
    connection.execute(
        "DELETE FROM client_assignment WHERE client_id = ?1",
        [client_id],
    )?;
    let removed = connection.execute("DELETE FROM client WHERE id = ?1", [client_id])?;
    if removed == 0 {
        return Err(CoreError::NotFound("client"));
    }
    let count = |items: &[String]| u32::try_from(items.len()).unwrap_or(u32::MAX);
    Ok(ErasureSummary {
        notes: count(&notes),
        addenda: count(&addenda),
        consults: count(&own_consults),
    })
}

/// After the transaction: merges the search index (its segments keep deleted
/// words until then) and checkpoints the write-ahead log into the database
/// and truncates it. With `secure_delete`, the pages freed on the way are
/// zeroed.
pub(crate) fn purge_freed_pages(connection: &Connection) -> CoreResult<()> {
    connection.execute(
        "INSERT INTO search_index (search_index) VALUES ('optimize')",
        [],
    )?;
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
