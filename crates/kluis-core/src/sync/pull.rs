//! Incoming: applying the store's change feed. A record with unsent local
//! changes is never overwritten: those are sent first and the store decides.
//! Client and consult edits made on both sides merge per field.

use kluis_protocol::{Change, ChangePayload, PullResponse, Record, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{CoreError, CoreResult};
use crate::record::notes::NoteSection;
use crate::record::scope::now_utc;
use crate::record::search;
use crate::sync::outbox::SyncAction;
use crate::vault::db;

use super::export::known_version;
use super::push::{EDITED_ON_BOTH_SIDES, remember_version};

pub fn cursor(connection: &Connection) -> CoreResult<u64> {
    let cursor: i64 = connection.query_row(
        "SELECT cursor FROM sync_state WHERE singleton = 1",
        [],
        |row| row.get(0),
    )?;
    Ok(u64::try_from(cursor).unwrap_or(0))
}

fn has_unsent_changes(connection: &Connection, kind: RecordKind, id: &str) -> CoreResult<bool> {
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
        changed += super::rebuild::after_page(connection, response)?;
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

/// Whether a record is of a client erased here: it is not taken in again,
/// whoever sends it (SPEC §6).
fn of_an_erased_client(connection: &Connection, record: &Record) -> CoreResult<bool> {
    use crate::record::erasure::was_erased;
    match record {
        Record::Client(client) => was_erased(connection, &client.id),
        Record::Note(note) => was_erased(connection, &note.client_id),
        Record::Consult(consult) => {
            for client_id in &consult.client_ids {
                if !was_erased(connection, client_id)? {
                    return Ok(false);
                }
            }
            Ok(!consult.client_ids.is_empty())
        }
        // An addendum lands only on a note this vault holds.
        Record::Addendum(_) => Ok(false),
    }
}

fn apply_change(
    connection: &Connection,
    practitioner_id: &str,
    change: &Change,
    arriving: &Arriving,
) -> CoreResult<bool> {
    if let ChangePayload::Record { record } = &change.payload
        && of_an_erased_client(connection, record)?
    {
        return Ok(false);
    }
    let (kind, id) = match &change.payload {
        ChangePayload::Record { record } => {
            let reference = record.reference();
            (reference.kind, reference.id)
        }
        ChangePayload::Tombstone { target } => (target.kind, target.id.clone()),
    };
    // An erasure wins over anything this device still has to send.
    if kind == RecordKind::Client && matches!(change.payload, ChangePayload::Tombstone { .. }) {
        crate::record::erasure::erase_from_feed(connection, &id)?;
        remember_version(connection, kind, &id, change.version, None)?;
        return Ok(true);
    }
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
            crate::record::notes::take_store_signature(connection, note)?;
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
                crate::sync::outbox::record_change(connection, kind, &id, SyncAction::Upsert)?;
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
    kind: RecordKind,
    id: &str,
    remote_body: &str,
) -> CoreResult<Option<Record>> {
    if !matches!(kind, RecordKind::Client | RecordKind::Consult) {
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
        // The privacy log only grows: both sides' entries are kept, the
        // store's first, never a conflict.
        if field == PRIVACY_LOG_FIELD {
            merged.insert(field.clone(), union_of_logs(remote.get(field), local_value));
            continue;
        }
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

/// A client's privacy log on the wire.
pub(crate) const PRIVACY_LOG_FIELD: &str = "privacy_log";

/// The store's log, then this device's entries the store does not have.
pub(crate) fn union_of_logs(
    remote: Option<&serde_json::Value>,
    local: &serde_json::Value,
) -> serde_json::Value {
    let mut entries = match remote {
        Some(serde_json::Value::Array(entries)) => entries.clone(),
        _ => Vec::new(),
    };
    if let serde_json::Value::Array(local) = local {
        for entry in local {
            if !entries.contains(entry) {
                entries.push(entry.clone());
            }
        }
    }
    serde_json::Value::Array(entries)
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
                 employer_reporting_date, restricted, created_at, updated_at, version, \
                 health_data_consent_withdrawn, privacy_log) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, 1, ?17, ?18) \
                 ON CONFLICT (id) DO UPDATE SET client_code = excluded.client_code, first_name = excluded.first_name, \
                 last_name = excluded.last_name, email = excluded.email, birth_year = excluded.birth_year, \
                 phone = excluded.phone, employer = excluded.employer, care_start = excluded.care_start, \
                 care_end = excluded.care_end, remarks = excluded.remarks, \
                 health_data_consent_date = excluded.health_data_consent_date, \
                 employer_reporting_opt_in = excluded.employer_reporting_opt_in, \
                 employer_reporting_date = excluded.employer_reporting_date, restricted = excluded.restricted, \
                 updated_at = excluded.updated_at, version = client.version + 1, \
                 health_data_consent_withdrawn = excluded.health_data_consent_withdrawn, \
                 privacy_log = excluded.privacy_log",
                params![
                    client.id, client.client_code, client.first_name, client.last_name, client.email,
                    client.birth_year, client.phone, client.employer, client.care_start, client.care_end,
                    client.remarks, client.health_data_consent_date, client.employer_reporting_opt_in,
                    client.employer_reporting_date, client.restricted, now,
                    client.health_data_consent_withdrawn,
                    serde_json::to_string(&client.privacy_log)
                        .map_err(|error| CoreError::Internal(error.to_string()))?
                ],
            )?;
            // The store sends a client only to its care team.
            connection.execute(
                "INSERT OR IGNORE INTO client_assignment (client_id, practitioner_id) VALUES (?1, ?2)",
                params![client.id, practitioner_id],
            )?;
            let searchable = crate::record::clients::client_search_text(
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
                return crate::record::notes::take_store_signature(connection, note);
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
    let note = crate::record::notes::load_for_sync(connection, note_id)?;
    if let Some(note) = note {
        search::index_note(connection, &note)?;
    }
    Ok(())
}

pub(super) fn remove_record(connection: &Connection, kind: RecordKind, id: &str) -> CoreResult<()> {
    match kind {
        RecordKind::Note => {
            connection.execute("DELETE FROM note WHERE id = ?1 AND status = 'draft'", [id])?;
            search::remove_note(connection, id)?;
        }
        RecordKind::Consult => {
            connection.execute("DELETE FROM consult WHERE id = ?1", [id])?;
        }
        // A client's tombstone is an erasure (see `apply_change`); an
        // addendum goes only with its client's erasure.
        RecordKind::Client | RecordKind::Addendum => {}
    }
    Ok(())
}
