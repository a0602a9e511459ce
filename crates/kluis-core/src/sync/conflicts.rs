//! Changes the store did not take as they were, shown to the author to decide
//! (SPEC §5): a draft edited on two devices keeps both versions until its
//! author chooses one; a client or consult field changed on both sides keeps
//! this device's value beside the store's; a change the store refused is
//! explained. Nothing is resolved behind the author's back.
//!
//! The vault always holds the store's version of the record; this device's
//! version waits in `sync_conflict` (see `sync`).

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::audit::{AuditAction, RecordPart};
use crate::error::{CoreError, CoreResult};
use crate::record::notes::{NoteRepository, NoteSection};
use crate::record::scope::{Scope, Target};
use crate::sync::export_record;
use crate::sync::outbox::SyncAction;
use crate::sync::pull::{Arriving, import_record, record_fields};
use crate::sync::push::EDITED_ON_BOTH_SIDES;
use crate::vault::db;
use kluis_protocol::RecordKind;

/// One field (of a client or consult) or one section (of a note) where this
/// device and the store differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConflictField {
    /// The field's wire name (`phone`, `remarks`) or the section's key
    /// (`subjective`, `text`).
    pub key: String,
    pub mine: String,
    pub theirs: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SyncConflict {
    pub kind: RecordKind,
    pub record_id: String,
    pub client_id: Option<String>,
    /// The client's pseudonymous code, to recognise the record by.
    pub client_code: Option<String>,
    /// The store's refusal code (`forbidden`, `invalid`, `not_found`) when it
    /// refused the change; `None` when the record was edited elsewhere too.
    pub refusal: Option<String>,
    /// UTC, RFC 3339.
    pub detected_at: String,
    pub fields: Vec<ConflictField>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConflictChoice {
    /// This device's values replace the store's and are sent again.
    KeepMine,
    /// The store's version stays; this device's values are dropped. For a
    /// refused change: the change stays on this device only.
    KeepTheirs,
}

struct Kept {
    kind: RecordKind,
    record_id: String,
    local_body: Option<String>,
    reason: Option<String>,
    detected_at: String,
}

fn part(kind: RecordKind) -> RecordPart {
    match kind {
        RecordKind::Client => RecordPart::Client,
        RecordKind::Consult => RecordPart::Consult,
        RecordKind::Note => RecordPart::Note,
        RecordKind::Addendum => RecordPart::NoteAddendum,
    }
}

fn display(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// The record's client (for the access log and to show its code).
fn client_of(scope: &Scope<'_>, kind: RecordKind, record_id: &str) -> CoreResult<Option<String>> {
    let sql = match kind {
        RecordKind::Client => return Ok(Some(record_id.to_owned())),
        RecordKind::Consult => "SELECT min(client_id) FROM consult_client WHERE consult_id = ?1",
        RecordKind::Note => "SELECT client_id FROM note WHERE id = ?1",
        RecordKind::Addendum => {
            "SELECT n.client_id FROM note_addendum a JOIN note n ON n.id = a.note_id WHERE a.id = ?1"
        }
    };
    Ok(scope
        .connection
        .query_row(sql, [record_id], |row| row.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

fn kept(scope: &Scope<'_>, kind: RecordKind, record_id: &str) -> CoreResult<Kept> {
    scope
        .connection
        .query_row(
            "SELECT kind, record_id, local_body, reason, detected_at FROM sync_conflict \
             WHERE kind = ?1 AND record_id = ?2 AND reason IS NOT NULL",
            params![kind, record_id],
            kept_from_row,
        )
        .optional()?
        .ok_or(CoreError::NotFound("conflict"))
}

fn kept_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Kept> {
    Ok(Kept {
        kind: row.get(0)?,
        record_id: row.get(1)?,
        local_body: row.get(2)?,
        reason: row.get(3)?,
        detected_at: row.get(4)?,
    })
}

/// The record as the vault holds it now (the store's version), field by
/// field; `None` when the vault no longer has it.
fn current_fields(
    scope: &Scope<'_>,
    kind: RecordKind,
    record_id: &str,
) -> CoreResult<Option<serde_json::Map<String, serde_json::Value>>> {
    export_record(scope.connection, kind, record_id)?
        .map(|record| match serde_json::to_value(record) {
            Ok(serde_json::Value::Object(fields)) => Ok(fields),
            _ => Err(CoreError::Internal("a record is not an object".to_owned())),
        })
        .transpose()
}

/// Where this device's version and the vault's (the store's) differ.
fn differing_fields(scope: &Scope<'_>, kept: &Kept) -> CoreResult<Vec<ConflictField>> {
    let Some(local_body) = &kept.local_body else {
        return Ok(Vec::new());
    };
    let mine = record_fields(local_body)?;
    let current = current_fields(scope, kept.kind, &kept.record_id)?.unwrap_or_default();
    if kept.kind == RecordKind::Note {
        let sections = |fields: &serde_json::Map<String, serde_json::Value>| {
            fields
                .get("sections")
                .cloned()
                .and_then(|value| serde_json::from_value::<Vec<NoteSection>>(value).ok())
                .unwrap_or_default()
        };
        let theirs = sections(&current);
        return Ok(sections(&mine)
            .into_iter()
            .filter_map(|section| {
                let their_text = theirs
                    .iter()
                    .find(|other| other.key == section.key)
                    .map(|other| other.text.clone())
                    .unwrap_or_default();
                (their_text != section.text).then_some(ConflictField {
                    key: section.key,
                    mine: section.text,
                    theirs: their_text,
                })
            })
            .collect());
    }
    Ok(mine
        .iter()
        .filter(|(key, value)| key.as_str() != "record_kind" && current.get(*key) != Some(*value))
        .map(|(key, value)| ConflictField {
            key: key.clone(),
            mine: display(Some(value)),
            theirs: display(current.get(key)),
        })
        .collect())
}

/// Every change waiting for the author, oldest first. Showing one shows
/// record content, so each is logged as a read.
pub fn list(scope: &Scope<'_>) -> CoreResult<Vec<SyncConflict>> {
    let waiting: Vec<Kept> = scope
        .connection
        .prepare(
            "SELECT kind, record_id, local_body, reason, detected_at FROM sync_conflict \
             WHERE reason IS NOT NULL ORDER BY detected_at, kind, record_id",
        )?
        .query_map([], kept_from_row)?
        .collect::<Result<_, _>>()?;
    let mut conflicts = Vec::with_capacity(waiting.len());
    for kept in waiting {
        let client_id = client_of(scope, kept.kind, &kept.record_id)?;
        let client_code: Option<String> = match &client_id {
            Some(id) => scope
                .connection
                .query_row(
                    "SELECT client_code FROM client WHERE id = ?1",
                    [id],
                    |row| row.get(0),
                )
                .optional()?,
            None => None,
        };
        let mut target = Target::new(part(kept.kind)).record(&kept.record_id);
        if let Some(id) = &client_id {
            target = target.client(id);
        }
        scope.log(AuditAction::Read, target)?;
        conflicts.push(SyncConflict {
            kind: kept.kind,
            fields: differing_fields(scope, &kept)?,
            refusal: kept
                .reason
                .clone()
                .filter(|reason| reason != EDITED_ON_BOTH_SIDES),
            record_id: kept.record_id,
            client_id,
            client_code,
            detected_at: kept.detected_at,
        });
    }
    Ok(conflicts)
}

/// How many changes wait for the author (for the sync indicator).
pub fn count(connection: &rusqlite::Connection) -> CoreResult<u32> {
    Ok(connection.query_row(
        "SELECT count(*) FROM sync_conflict WHERE reason IS NOT NULL",
        [],
        |row| row.get(0),
    )?)
}

/// Applies the author's choice. Keeping this device's version goes through
/// the same rules as any edit (only the author changes a draft, a signed
/// note never changes) and is sent to the store with the next sync.
pub fn resolve(
    scope: &Scope<'_>,
    kind: RecordKind,
    record_id: &str,
    choice: ConflictChoice,
) -> CoreResult<()> {
    let kept = kept(scope, kind, record_id)?;
    let forget = || -> CoreResult<()> {
        scope.connection.execute(
            "DELETE FROM sync_conflict WHERE kind = ?1 AND record_id = ?2",
            params![kind, record_id],
        )?;
        Ok(())
    };
    if choice == ConflictChoice::KeepTheirs {
        return forget();
    }
    if kept.reason.as_deref() != Some(EDITED_ON_BOTH_SIDES) {
        return Err(CoreError::Validation {
            field: "choice",
            reason: "the store refused this change; sending it again would be refused too",
        });
    }
    let Some(local_body) = &kept.local_body else {
        return forget();
    };
    let mine = record_fields(local_body)?;
    match kind {
        RecordKind::Note => {
            let sections: Vec<NoteSection> = mine
                .get("sections")
                .cloned()
                .and_then(|value| serde_json::from_value(value).ok())
                .ok_or_else(|| {
                    CoreError::Storage("unreadable note in the sync state".to_owned())
                })?;
            db::atomically(scope.connection, || {
                NoteRepository::new(*scope).save_draft(record_id, sections)?;
                forget()
            })
        }
        RecordKind::Client | RecordKind::Consult => {
            let client_id =
                client_of(scope, kind, record_id)?.ok_or(CoreError::NotFound("client"))?;
            scope.require_assigned(&client_id, AuditAction::Update, part(kind))?;
            let mut fields =
                current_fields(scope, kind, record_id)?.ok_or(CoreError::NotFound("record"))?;
            for (key, value) in mine {
                if key == crate::sync::pull::PRIVACY_LOG_FIELD {
                    // The log only grows: this device's entries join the
                    // current ones, never replace them.
                    let union = crate::sync::pull::union_of_logs(fields.get(&key), &value);
                    fields.insert(key, union);
                } else if key != "record_kind" {
                    fields.insert(key, value);
                }
            }
            let record: kluis_protocol::Record =
                serde_json::from_value(serde_json::Value::Object(fields)).map_err(|_| {
                    CoreError::Storage("a merged record is not a record".to_owned())
                })?;
            record.validate().map_err(|_| CoreError::Validation {
                field: "record",
                reason: "this device's version is no longer valid",
            })?;
            db::atomically(scope.connection, || {
                import_record(
                    scope.connection,
                    &scope.practitioner.id,
                    &record,
                    &Arriving::default(),
                )?;
                crate::sync::outbox::record_change(
                    scope.connection,
                    kind,
                    record_id,
                    SyncAction::Upsert,
                )?;
                scope.log(
                    AuditAction::Update,
                    Target::new(part(kind)).client(&client_id).record(record_id),
                )?;
                forget()
            })
        }
        // Addenda are only ever added, never edited: nothing to choose.
        RecordKind::Addendum => forget(),
    }
}
