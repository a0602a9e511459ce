//! The vault's side of sync (SPEC §5), without any network: which queued
//! changes to send next, what the store's answers mean for the vault, and how
//! the store's change feed is applied. `kluis-sync` moves the bytes.
//!
//! - A record's queued changes are sent as one operation carrying the record
//!   as it is now. Once an entry has been sent it keeps its operation id, so
//!   after a crash the same id goes again and the store recognises it.
//! - One operation per record per push, with the store's last known version
//!   of the record as its base.
//! - Applying the feed never overwrites a record with unsent local changes:
//!   those are sent first and the store decides (conflict or not).

use kluis_protocol::records::{
    AddendumRecord, ClientRecord, ConsultKind, ConsultRecord, ConsultStatus, NoteRecord,
    NoteSection as WireSection, NoteStatus, NoteTemplate, Role, Visibility,
};
use kluis_protocol::{
    Action, AuditEntry, Change, ChangePayload, Operation, Outcome, PullResponse, PushResponse,
    Record, RecordKind, RecordRef,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{CoreError, CoreResult};
use crate::notes::NoteSection;
use crate::outbox::{SyncAction, SyncKind};
use crate::scope::now_utc;
use crate::{db, search};

/// One operation ready to send, and the outbox entry it stands for.
#[derive(Debug, Clone)]
pub struct PendingOperation {
    pub entry_seq: i64,
    pub kind: SyncKind,
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
fn stored<T>(text: &str, parse: fn(&str) -> Option<T>) -> CoreResult<T> {
    parse(text).ok_or_else(|| CoreError::Storage(format!("'{text}' has no wire form")))
}

fn text_of<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        _ => Err(CoreError::Internal("not a text enumeration".to_owned())),
    }
}

fn record_kind(kind: SyncKind) -> RecordKind {
    match kind {
        SyncKind::Client => RecordKind::Client,
        SyncKind::Consult => RecordKind::Consult,
        SyncKind::Note => RecordKind::Note,
        SyncKind::Addendum => RecordKind::Addendum,
    }
}

fn sync_kind(kind: RecordKind) -> SyncKind {
    match kind {
        RecordKind::Client => SyncKind::Client,
        RecordKind::Consult => SyncKind::Consult,
        RecordKind::Note => SyncKind::Note,
        RecordKind::Addendum => SyncKind::Addendum,
    }
}

/// The record as it is in the vault now, in its wire form.
pub fn export_record(
    connection: &Connection,
    kind: SyncKind,
    id: &str,
) -> CoreResult<Option<Record>> {
    match kind {
        SyncKind::Client => connection
            .query_row(
                "SELECT id, client_code, first_name, last_name, email, birth_year, phone, employer, \
                 care_start, care_end, remarks, health_data_consent_date, employer_reporting_opt_in, \
                 employer_reporting_date, restricted FROM client WHERE id = ?1",
                [id],
                |row| {
                    Ok(Record::Client(ClientRecord {
                        id: row.get(0)?,
                        client_code: row.get(1)?,
                        first_name: row.get(2)?,
                        last_name: row.get(3)?,
                        email: row.get(4)?,
                        birth_year: row.get(5)?,
                        phone: row.get(6)?,
                        employer: row.get(7)?,
                        care_start: row.get(8)?,
                        care_end: row.get(9)?,
                        remarks: row.get(10)?,
                        health_data_consent_date: row.get(11)?,
                        employer_reporting_opt_in: row.get(12)?,
                        employer_reporting_date: row.get(13)?,
                        restricted: row.get(14)?,
                    }))
                },
            )
            .optional()
            .map_err(CoreError::from),
        SyncKind::Consult => {
            let row = connection
                .query_row(
                    "SELECT id, practitioner_id, kind, starts_at, duration_minutes, status, series_id, link \
                     FROM consult WHERE id = ?1",
                    [id],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, ConsultKind>(2)?,
                            row.get::<_, String>(3)?,
                            row.get::<_, u16>(4)?,
                            row.get::<_, ConsultStatus>(5)?,
                            row.get::<_, Option<String>>(6)?,
                            row.get::<_, Option<String>>(7)?,
                        ))
                    },
                )
                .optional()?;
            let Some((id, practitioner_id, kind, starts_at, duration_minutes, status, series_id, link)) =
                row
            else {
                return Ok(None);
            };
            let client_ids = connection
                .prepare_cached(
                    "SELECT client_id FROM consult_client WHERE consult_id = ?1 ORDER BY client_id",
                )?
                .query_map([&id], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(Some(Record::Consult(ConsultRecord {
                id,
                client_ids,
                practitioner_id,
                kind,
                starts_at,
                duration_minutes,
                status,
                series_id,
                link,
            })))
        }
        SyncKind::Note => {
            let row = connection
                .query_row(
                    "SELECT id, client_id, consult_id, author_id, author_name, author_role, template, \
                     visibility, status, sections, created_at, signed_at, signed_by, content_hash \
                     FROM note WHERE id = ?1",
                    [id],
                    |row| {
                        Ok([
                            row.get::<_, Option<String>>(0)?,
                            row.get::<_, Option<String>>(1)?,
                            row.get::<_, Option<String>>(2)?,
                            row.get::<_, Option<String>>(3)?,
                            row.get::<_, Option<String>>(4)?,
                            row.get::<_, Option<String>>(5)?,
                            row.get::<_, Option<String>>(6)?,
                            row.get::<_, Option<String>>(7)?,
                            row.get::<_, Option<String>>(8)?,
                            row.get::<_, Option<String>>(9)?,
                            row.get::<_, Option<String>>(10)?,
                            row.get::<_, Option<String>>(11)?,
                            row.get::<_, Option<String>>(12)?,
                            row.get::<_, Option<String>>(13)?,
                        ])
                    },
                )
                .optional()?;
            let Some(
                [id, client_id, consult_id, author_id, author_name, author_role, template, visibility, status, sections, created_at, signed_at, signed_by, content_hash],
            ) = row
            else {
                return Ok(None);
            };
            let required = |value: Option<String>| {
                value.ok_or_else(|| CoreError::Storage("a required note column is empty".to_owned()))
            };
            let sections: Vec<NoteSection> = serde_json::from_str(&required(sections)?)
                .map_err(|_| CoreError::Storage("unreadable note sections".to_owned()))?;
            Ok(Some(Record::Note(NoteRecord {
                id: required(id)?,
                client_id: required(client_id)?,
                consult_id,
                author_id: required(author_id)?,
                author_name: required(author_name)?,
                author_role: stored(&required(author_role)?, Role::parse)?,
                template: stored(&required(template)?, NoteTemplate::parse)?,
                visibility: stored(&required(visibility)?, Visibility::parse)?,
                status: stored(&required(status)?, NoteStatus::parse)?,
                sections: sections
                    .into_iter()
                    .map(|section| WireSection {
                        key: section.key,
                        text: section.text,
                    })
                    .collect(),
                created_at: required(created_at)?,
                signed_at,
                signed_by,
                content_hash,
            })))
        }
        SyncKind::Addendum => Ok(connection
            .query_row(
                "SELECT id, note_id, author_id, author_name, reason, text, created_at \
                 FROM note_addendum WHERE id = ?1",
                [id],
                crate::notes::addendum_from_row,
            )
            .optional()?
            .map(|addendum| {
                Record::Addendum(AddendumRecord {
                    id: addendum.id,
                    note_id: addendum.note_id,
                    author_id: addendum.author_id,
                    author_name: addendum.author_name,
                    reason: addendum.reason,
                    text: addendum.text,
                    created_at: addendum.created_at,
                })
            })),
    }
}

fn known_version(connection: &Connection, kind: SyncKind, id: &str) -> CoreResult<Option<u64>> {
    Ok(connection
        .prepare_cached(
            "SELECT server_version FROM sync_record WHERE kind = ?1 AND record_id = ?2",
        )?
        .query_row(params![kind, id], |row| row.get::<_, i64>(0))
        .optional()?
        .map(|version| u64::try_from(version).unwrap_or(0)))
}

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
        let records: Vec<(SyncKind, String)> = connection
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
                SyncAction::Delete => match base_version {
                    Some(base_version) => Action::Delete {
                        target: RecordRef {
                            kind: record_kind(kind),
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

fn remember_version(
    connection: &Connection,
    kind: SyncKind,
    id: &str,
    version: u64,
    body: Option<&str>,
) -> CoreResult<()> {
    // Only client and consult edits are merged field by field, so only they
    // need the store's version as a base; notes and addenda never do.
    let body = body.filter(|_| matches!(kind, SyncKind::Client | SyncKind::Consult));
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
                Action::Delete { .. } => None,
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
                    let reason = matches!(pending.kind, SyncKind::Note | SyncKind::Addendum)
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

fn keep_for_author(
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

pub fn cursor(connection: &Connection) -> CoreResult<u64> {
    let cursor: i64 = connection.query_row(
        "SELECT cursor FROM sync_state WHERE singleton = 1",
        [],
        |row| row.get(0),
    )?;
    Ok(u64::try_from(cursor).unwrap_or(0))
}

fn has_unsent_changes(connection: &Connection, kind: SyncKind, id: &str) -> CoreResult<bool> {
    Ok(connection
        .prepare_cached("SELECT 1 FROM outbox WHERE kind = ?1 AND record_id = ?2 LIMIT 1")?
        .query_row(params![kind, id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Applies a page of the store's feed and moves the cursor, in one
/// transaction. Returns how many records changed here.
pub fn apply_pull(
    connection: &Connection,
    practitioner_id: &str,
    response: &PullResponse,
) -> CoreResult<u32> {
    let arriving = Arriving::from_page(response);
    db::atomically(connection, || {
        // A page may hold a note before its client when an assignment moved
        // records in the feed; the references are checked at commit. What a
        // record refers to that is neither held nor in the page is left out
        // of it on import (see `Arriving`), so the commit cannot fail on it.
        connection.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let mut changed = 0;
        for change in &response.changes {
            if apply_change(connection, practitioner_id, change, &arriving)? {
                changed += 1;
            }
        }
        connection.execute(
            "UPDATE sync_state SET cursor = ?1, last_success_at = ?2 WHERE singleton = 1",
            params![
                i64::try_from(response.cursor).unwrap_or(i64::MAX),
                now_utc()
            ],
        )?;
        Ok(changed)
    })
}

/// The records a pull page brings, by kind: a reference to one of them is
/// kept even when the vault does not hold it yet, because it arrives before
/// the page commits.
#[derive(Debug, Default)]
pub(crate) struct Arriving {
    clients: std::collections::HashSet<String>,
    consults: std::collections::HashSet<String>,
    notes: std::collections::HashSet<String>,
}

impl Arriving {
    fn from_page(response: &PullResponse) -> Self {
        let mut arriving = Self::default();
        let records = response
            .changes
            .iter()
            .filter_map(|change| match &change.payload {
                ChangePayload::Record { record } => Some(record.as_ref()),
                ChangePayload::Tombstone { .. } => None,
            });
        let mut notes = Vec::new();
        for record in records {
            match record {
                Record::Client(client) => {
                    arriving.clients.insert(client.id.clone());
                }
                Record::Consult(consult) => {
                    arriving.consults.insert(consult.id.clone());
                }
                Record::Note(note) => notes.push(note),
                Record::Addendum(_) => {}
            }
        }
        // A note arrives only with its client (see `import_record`).
        for note in notes {
            if arriving.clients.contains(&note.client_id) {
                arriving.notes.insert(note.id.clone());
            }
        }
        arriving
    }
}

fn held(connection: &Connection, table: &str, id: &str) -> CoreResult<bool> {
    Ok(connection
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn apply_change(
    connection: &Connection,
    practitioner_id: &str,
    change: &Change,
    arriving: &Arriving,
) -> CoreResult<bool> {
    let (kind, id) = match &change.payload {
        ChangePayload::Record { record } => {
            let reference = record.reference();
            (sync_kind(reference.kind), reference.id)
        }
        ChangePayload::Tombstone { target } => (sync_kind(target.kind), target.id.clone()),
    };
    // Unsent local changes go to the store first; it decides.
    if has_unsent_changes(connection, kind, &id)? {
        return Ok(false);
    }
    if known_version(connection, kind, &id)? == Some(change.version) {
        // This device's own push: the store may have written what only it
        // knows (signer, signing time) differently from what was sent.
        if let ChangePayload::Record { record } = &change.payload
            && let Record::Note(note) = record.as_ref()
        {
            crate::notes::take_store_signature(connection, note)?;
        }
        return Ok(false);
    }
    match &change.payload {
        ChangePayload::Record { record } => {
            let body = serde_json::to_string(record)
                .map_err(|error| CoreError::Internal(error.to_string()))?;
            let merged = merge_conflicting_edit(connection, kind, &id, &body)?;
            import_record(
                connection,
                practitioner_id,
                merged.as_ref().unwrap_or(record),
                arriving,
            )?;
            remember_version(connection, kind, &id, change.version, Some(&body))?;
            if merged.is_some() {
                // The merge goes to the store, based on the version it just sent.
                crate::outbox::record_change(connection, kind, &id, SyncAction::Upsert)?;
            }
        }
        ChangePayload::Tombstone { .. } => {
            remove_record(connection, kind, &id)?;
            remember_version(connection, kind, &id, change.version, None)?;
        }
    }
    Ok(true)
}

/// A client or consult edited here and on the store (the store answered
/// "conflict"): merges field by field against the last version both sides
/// shared. A field changed only here keeps the local value; a field changed
/// only there, or on both sides, takes the store's value. When both sides
/// changed a field, the local version stays in `sync_conflict` for the author;
/// otherwise the conflict is resolved and removed. `None` when there is
/// nothing to merge.
fn merge_conflicting_edit(
    connection: &Connection,
    kind: SyncKind,
    id: &str,
    remote_body: &str,
) -> CoreResult<Option<Record>> {
    if !matches!(kind, SyncKind::Client | SyncKind::Consult) {
        return Ok(None);
    }
    let local_body: Option<String> = connection
        .query_row(
            "SELECT local_body FROM sync_conflict WHERE kind = ?1 AND record_id = ?2 \
             AND reason IS NULL AND local_body IS NOT NULL",
            params![kind, id],
            |row| row.get(0),
        )
        .optional()?;
    let Some(local_body) = local_body else {
        return Ok(None);
    };
    let base_body: Option<String> = connection
        .query_row(
            "SELECT base_body FROM sync_record WHERE kind = ?1 AND record_id = ?2",
            params![kind, id],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    let local = record_fields(&local_body)?;
    let remote = record_fields(remote_body)?;
    let base = match &base_body {
        Some(text) => record_fields(text)?,
        None => serde_json::Map::new(),
    };
    let mut merged = remote.clone();
    let mut changed_on_both_sides = serde_json::Map::new();
    for (field, local_value) in &local {
        let base_value = base.get(field);
        let remote_value = remote.get(field);
        let changed_here = base_value != Some(local_value);
        let changed_there = base_value != remote_value;
        if changed_here && !changed_there {
            merged.insert(field.clone(), local_value.clone());
        } else if changed_here && changed_there && remote_value != Some(local_value) {
            changed_on_both_sides.insert(field.clone(), local_value.clone());
        }
    }
    if changed_on_both_sides.is_empty() {
        connection.execute(
            "DELETE FROM sync_conflict WHERE kind = ?1 AND record_id = ?2",
            params![kind, id],
        )?;
    } else {
        // Only the fields both sides changed wait for the author, with this
        // device's values: the rest is merged.
        connection.execute(
            "UPDATE sync_conflict SET local_body = ?3, reason = ?4 WHERE kind = ?1 AND record_id = ?2",
            params![
                kind,
                id,
                serde_json::Value::Object(changed_on_both_sides).to_string(),
                EDITED_ON_BOTH_SIDES
            ],
        )?;
    }
    let record: Record = serde_json::from_value(serde_json::Value::Object(merged))
        .map_err(|_| CoreError::Storage("a merged record is not a record".to_owned()))?;
    Ok(Some(record))
}

/// A record kept in the sync state (a base, this device's version), field
/// by field.
pub(crate) fn record_fields(text: &str) -> CoreResult<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_str(text) {
        Ok(serde_json::Value::Object(fields)) => Ok(fields),
        _ => Err(CoreError::Storage(
            "unreadable record in the sync state".to_owned(),
        )),
    }
}

/// Writes a record from the store into the vault. A reference to a record
/// this device neither holds nor is receiving in `arriving` is one it may not
/// see (a group consult's other clients) or a broken one: the record is kept
/// with what the device may see (the consult without those clients, the note
/// without its consult) instead of failing the whole page; a note whose
/// client, or an addendum whose note, is not here is left out.
pub(crate) fn import_record(
    connection: &Connection,
    practitioner_id: &str,
    record: &Record,
    arriving: &Arriving,
) -> CoreResult<()> {
    let now = now_utc();
    match record {
        Record::Client(client) => {
            connection.execute(
                "INSERT INTO client (id, client_code, first_name, last_name, email, birth_year, phone, employer, \
                 care_start, care_end, remarks, health_data_consent_date, employer_reporting_opt_in, \
                 employer_reporting_date, restricted, created_at, updated_at, version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, 1) \
                 ON CONFLICT (id) DO UPDATE SET client_code = excluded.client_code, first_name = excluded.first_name, \
                 last_name = excluded.last_name, email = excluded.email, birth_year = excluded.birth_year, \
                 phone = excluded.phone, employer = excluded.employer, care_start = excluded.care_start, \
                 care_end = excluded.care_end, remarks = excluded.remarks, \
                 health_data_consent_date = excluded.health_data_consent_date, \
                 employer_reporting_opt_in = excluded.employer_reporting_opt_in, \
                 employer_reporting_date = excluded.employer_reporting_date, restricted = excluded.restricted, \
                 updated_at = excluded.updated_at, version = client.version + 1",
                params![
                    client.id, client.client_code, client.first_name, client.last_name, client.email,
                    client.birth_year, client.phone, client.employer, client.care_start, client.care_end,
                    client.remarks, client.health_data_consent_date, client.employer_reporting_opt_in,
                    client.employer_reporting_date, client.restricted, now
                ],
            )?;
            // The store sends a client only to its care team.
            connection.execute(
                "INSERT OR IGNORE INTO client_assignment (client_id, practitioner_id) VALUES (?1, ?2)",
                params![client.id, practitioner_id],
            )?;
            let searchable = crate::clients::client_search_text(
                &client.first_name,
                client.last_name.as_deref(),
                &client.client_code,
                client.employer.as_deref(),
                &client.remarks,
            );
            search::index_client(connection, &client.id, &searchable)?;
        }
        Record::Consult(consult) => {
            connection.execute(
                "INSERT INTO consult (id, practitioner_id, kind, starts_at, duration_minutes, status, series_id, \
                 link, created_at, updated_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1) \
                 ON CONFLICT (id) DO UPDATE SET practitioner_id = excluded.practitioner_id, kind = excluded.kind, \
                 starts_at = excluded.starts_at, duration_minutes = excluded.duration_minutes, \
                 status = excluded.status, series_id = excluded.series_id, link = excluded.link, \
                 updated_at = excluded.updated_at, version = consult.version + 1",
                params![
                    consult.id,
                    consult.practitioner_id,
                    consult.kind,
                    consult.starts_at,
                    consult.duration_minutes,
                    consult.status,
                    consult.series_id,
                    consult.link,
                    now
                ],
            )?;
            connection.execute(
                "DELETE FROM consult_client WHERE consult_id = ?1",
                [&consult.id],
            )?;
            for client_id in &consult.client_ids {
                if !arriving.clients.contains(client_id) && !held(connection, "client", client_id)?
                {
                    continue;
                }
                connection.execute(
                    "INSERT INTO consult_client (consult_id, client_id) VALUES (?1, ?2)",
                    params![consult.id, client_id],
                )?;
            }
        }
        Record::Note(note) => {
            if !arriving.clients.contains(&note.client_id)
                && !held(connection, "client", &note.client_id)?
            {
                tracing::warn!("a note for a client this device does not hold was left out");
                return Ok(());
            }
            let mut consult_id = note.consult_id.as_deref();
            if let Some(id) = consult_id
                && !arriving.consults.contains(id)
                && !held(connection, "consult", id)?
            {
                consult_id = None;
            }
            let local_status: Option<String> = connection
                .query_row("SELECT status FROM note WHERE id = ?1", [&note.id], |row| {
                    row.get(0)
                })
                .optional()?;
            // A signed note never changes, here as on the store; only what
            // the store recorded about its signing is taken.
            if local_status.as_deref() == Some("signed") {
                return crate::notes::take_store_signature(connection, note);
            }
            let sections: Vec<NoteSection> = note
                .sections
                .iter()
                .map(|section| NoteSection {
                    key: section.key.clone(),
                    text: section.text.clone(),
                })
                .collect();
            let sections_json = serde_json::to_string(&sections)
                .map_err(|error| CoreError::Internal(error.to_string()))?;
            connection.execute(
                "INSERT INTO note (id, client_id, consult_id, author_id, author_name, author_role, template, \
                 visibility, status, sections, created_at, updated_at, signed_at, signed_by, content_hash, version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1) \
                 ON CONFLICT (id) DO UPDATE SET sections = excluded.sections, status = excluded.status, \
                 visibility = excluded.visibility, updated_at = excluded.updated_at, \
                 signed_at = excluded.signed_at, signed_by = excluded.signed_by, \
                 content_hash = excluded.content_hash, version = note.version + 1",
                params![
                    note.id,
                    note.client_id,
                    consult_id,
                    note.author_id,
                    note.author_name,
                    note.author_role,
                    note.template,
                    note.visibility,
                    note.status,
                    sections_json,
                    note.created_at,
                    now,
                    note.signed_at,
                    note.signed_by,
                    note.content_hash
                ],
            )?;
            reindex_note(connection, &note.id)?;
        }
        Record::Addendum(addendum) => {
            if !arriving.notes.contains(&addendum.note_id)
                && !held(connection, "note", &addendum.note_id)?
            {
                tracing::warn!("an addendum to a note this device does not hold was left out");
                return Ok(());
            }
            connection.execute(
                "INSERT OR IGNORE INTO note_addendum (id, note_id, author_id, author_name, reason, text, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    addendum.id,
                    addendum.note_id,
                    addendum.author_id,
                    addendum.author_name,
                    addendum.reason,
                    addendum.text,
                    addendum.created_at
                ],
            )?;
            reindex_note(connection, &addendum.note_id)?;
        }
    }
    Ok(())
}

/// Rebuilds a note's search entry from the vault (text and addenda).
fn reindex_note(connection: &Connection, note_id: &str) -> CoreResult<()> {
    let note = crate::notes::load_for_sync(connection, note_id)?;
    if let Some(note) = note {
        search::index_note(connection, &note)?;
    }
    Ok(())
}

fn remove_record(connection: &Connection, kind: SyncKind, id: &str) -> CoreResult<()> {
    match kind {
        SyncKind::Note => {
            connection.execute("DELETE FROM note WHERE id = ?1 AND status = 'draft'", [id])?;
            search::remove_note(connection, id)?;
        }
        SyncKind::Consult => {
            connection.execute("DELETE FROM consult WHERE id = ?1", [id])?;
        }
        // Erasure of clients and their records arrives with the privacy
        // requests; addenda are never deleted.
        SyncKind::Client | SyncKind::Addendum => {}
    }
    Ok(())
}

/// How this device reaches the central store (see migration 0005). The
/// private key is kept in a buffer that is wiped when dropped and is never
/// printed.
pub struct SyncIdentity {
    pub server_url: String,
    pub ca_pem: String,
    pub certificate_pem: String,
    pub key_pem: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for SyncIdentity {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SyncIdentity")
            .field("server_url", &self.server_url)
            .finish_non_exhaustive()
    }
}

pub fn set_identity(connection: &Connection, identity: &SyncIdentity) -> CoreResult<()> {
    if !identity.server_url.starts_with("https://") {
        return Err(CoreError::Validation {
            field: "serverUrl",
            reason: "must be an https:// address",
        });
    }
    connection.execute(
        "INSERT INTO sync_identity (singleton, server_url, ca_pem, certificate_pem, key_pem, created_at) \
         VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (singleton) DO UPDATE SET \
         server_url = excluded.server_url, ca_pem = excluded.ca_pem, \
         certificate_pem = excluded.certificate_pem, key_pem = excluded.key_pem",
        params![
            identity.server_url,
            identity.ca_pem,
            identity.certificate_pem,
            identity.key_pem.as_str(),
            now_utc()
        ],
    )?;
    Ok(())
}

pub fn identity(connection: &Connection) -> CoreResult<Option<SyncIdentity>> {
    Ok(connection
        .query_row(
            "SELECT server_url, ca_pem, certificate_pem, key_pem FROM sync_identity WHERE singleton = 1",
            [],
            |row| {
                Ok(SyncIdentity {
                    server_url: row.get(0)?,
                    ca_pem: row.get(1)?,
                    certificate_pem: row.get(2)?,
                    key_pem: zeroize::Zeroizing::new(row.get(3)?),
                })
            },
        )
        .optional()?)
}

/// Changes written here and not yet accepted by the store.
pub fn pending_count(connection: &Connection) -> CoreResult<u32> {
    Ok(connection.query_row(
        "SELECT count(DISTINCT kind || ':' || record_id) FROM outbox",
        [],
        |row| row.get(0),
    )?)
}

/// Access-log entries the store does not hold yet, oldest first.
pub fn audit_to_upload(connection: &Connection, limit: usize) -> CoreResult<Vec<AuditEntry>> {
    let uploaded: i64 = connection.query_row(
        "SELECT audit_uploaded_seq FROM sync_state WHERE singleton = 1",
        [],
        |row| row.get(0),
    )?;
    crate::audit::entries_after(connection, u64::try_from(uploaded).unwrap_or(0), limit)
}

/// The store holds the access log up to and including `seq`.
pub fn audit_uploaded(connection: &Connection, seq: u64) -> CoreResult<()> {
    connection.execute(
        "UPDATE sync_state SET audit_uploaded_seq = max(audit_uploaded_seq, ?1) WHERE singleton = 1",
        [i64::try_from(seq).unwrap_or(i64::MAX)],
    )?;
    Ok(())
}
