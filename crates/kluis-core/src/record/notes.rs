//! Session notes: drafts that autosave, signing that makes a note immutable,
//! and addenda that correct a signed note without changing it (SPEC §3).
//!
//! The role rules (who may write which template, who may read which note) live
//! in [`NotePolicy`]; the repository checks them on every call and logs every
//! access, allowed or denied.

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::audit::{AuditAction, RecordPart};
use crate::error::{CoreError, CoreResult};
use crate::record::practitioner::{Practitioner, Role};
use crate::record::scope::{Scope, Target, now_utc};
use crate::record::search;
use crate::sync::outbox::{self, RecordKind, SyncAction};
use crate::vault::db;
use kluis_protocol::policy;
use kluis_protocol::records::{self, check_who5, is_who5_item};

/// The note enumerations are the protocol's: one vocabulary for the vault,
/// the wire and the store.
pub use kluis_protocol::records::{NoteStatus, NoteTemplate, Visibility};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NoteSection {
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewNote {
    pub client_id: String,
    pub consult_id: Option<String>,
    pub template: NoteTemplate,
    pub visibility: Visibility,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Addendum {
    pub id: String,
    pub note_id: String,
    pub author_id: String,
    pub author_name: String,
    pub reason: String,
    pub text: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    pub client_id: String,
    pub consult_id: Option<String>,
    pub author_id: String,
    pub author_name: String,
    pub author_role: Role,
    pub template: NoteTemplate,
    pub visibility: Visibility,
    pub status: NoteStatus,
    pub sections: Vec<NoteSection>,
    pub created_at: String,
    pub updated_at: String,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    /// SHA-256 (hex) over the signed content.
    pub content_hash: Option<String>,
    pub version: u32,
    /// Corrections of a signed note, oldest first, shown with the original.
    pub addenda: Vec<Addendum>,
}

/// What an autosave reports back: enough for the editor to show "saved".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DraftSaved {
    pub version: u32,
    pub updated_at: String,
}

const MAX_SECTION_CHARS: usize = 50_000;
const MAX_REASON_CHARS: usize = 500;

/// The role rules for notes (issue 3, SPEC §1). One place, tested as a matrix.
#[derive(Debug, Clone, Copy)]
pub struct NotePolicy;

impl NotePolicy {
    /// See [`kluis_protocol::policy::may_write`]: the store applies the same.
    pub fn may_write(role: Role, template: NoteTemplate) -> bool {
        policy::may_write(role, template)
    }

    /// See [`kluis_protocol::policy::may_read`].
    pub fn may_read(
        reader: &Practitioner,
        author_id: &str,
        visibility: Visibility,
        status: NoteStatus,
    ) -> bool {
        policy::may_read(reader.id == author_id, visibility, status)
    }

    /// See [`kluis_protocol::policy::may_amend`].
    pub fn may_add_addendum(reader: &Practitioner, note: &Note) -> bool {
        policy::may_amend(
            reader.id == note.author_id,
            reader.role,
            note.template,
            note.visibility,
            note.status,
        )
    }
}

const NOTE_COLUMNS: &str = "id, client_id, consult_id, author_id, author_name, author_role, template, \
     visibility, status, sections, created_at, updated_at, signed_at, signed_by, content_hash, version";

fn note_from_row(row: &Row<'_>) -> rusqlite::Result<Note> {
    let sections: String = row.get(9)?;
    let sections = serde_json::from_str(&sections).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(9, rusqlite::types::Type::Text, Box::new(error))
    })?;
    Ok(Note {
        id: row.get(0)?,
        client_id: row.get(1)?,
        consult_id: row.get(2)?,
        author_id: row.get(3)?,
        author_name: row.get(4)?,
        author_role: row.get(5)?,
        template: row.get(6)?,
        visibility: row.get(7)?,
        status: row.get(8)?,
        sections,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
        signed_at: row.get(12)?,
        signed_by: row.get(13)?,
        content_hash: row.get(14)?,
        version: row.get(15)?,
        addenda: Vec::new(),
    })
}

pub(crate) fn addendum_from_row(row: &Row<'_>) -> rusqlite::Result<Addendum> {
    Ok(Addendum {
        id: row.get(0)?,
        note_id: row.get(1)?,
        author_id: row.get(2)?,
        author_name: row.get(3)?,
        reason: row.get(4)?,
        text: row.get(5)?,
        created_at: row.get(6)?,
    })
}

/// The hash of what a signature covers, as the store computes it
/// ([`kluis_protocol::records::SignedContent`]): one definition for the vault
/// that signs and the store that checks.
pub fn content_hash(note: &Note) -> CoreResult<String> {
    let content = kluis_protocol::records::SignedContent {
        id: &note.id,
        client_id: &note.client_id,
        consult_id: note.consult_id.as_deref(),
        author_id: &note.author_id,
        template: note.template,
        visibility: note.visibility,
        sections: note
            .sections
            .iter()
            .map(|section| (section.key.as_str(), section.text.as_str()))
            .collect(),
    };
    Ok(content.hash())
}

/// The store writes who wrote and signed a note and when, from the device's
/// certificate and its own clock (SPEC §5); the vault shows what the store
/// recorded. Only those columns of a signed note change: the database refuses
/// any change to its content (migration 0007).
pub(crate) fn take_store_signature(
    connection: &rusqlite::Connection,
    note: &kluis_protocol::records::NoteRecord,
) -> CoreResult<()> {
    if note.status != kluis_protocol::records::NoteStatus::Signed {
        return Ok(());
    }
    connection
        .prepare_cached(
            "UPDATE note SET author_name = ?2, created_at = ?3, signed_at = ?4, signed_by = ?5, \
             content_hash = ?6 WHERE id = ?1 AND status = 'signed' AND (author_name IS NOT ?2 \
             OR created_at IS NOT ?3 OR signed_at IS NOT ?4 OR signed_by IS NOT ?5 \
             OR content_hash IS NOT ?6)",
        )?
        .execute(params![
            note.id,
            note.author_name,
            note.created_at,
            note.signed_at,
            note.signed_by,
            note.content_hash
        ])?;
    Ok(())
}

/// The text of a note for the search index: its sections and its addenda.
pub(crate) fn searchable_text(note: &Note) -> String {
    let mut text = String::new();
    // The WHO-5 answers are digits: nothing anyone searches for.
    for section in note
        .sections
        .iter()
        .filter(|section| !is_who5_item(&section.key))
    {
        text.push_str(&section.text);
        text.push('\n');
    }
    for addendum in &note.addenda {
        text.push_str(&addendum.reason);
        text.push('\n');
        text.push_str(&addendum.text);
        text.push('\n');
    }
    text
}

fn validate_sections(template: NoteTemplate, sections: &[NoteSection]) -> CoreResult<()> {
    let keys: Vec<&str> = sections
        .iter()
        .map(|section| section.key.as_str())
        .collect();
    if keys != template.section_keys() {
        return Err(CoreError::Validation {
            field: "sections",
            reason: "must be the template's sections, in order",
        });
    }
    check_who5(pairs(sections), false).map_err(|reason| CoreError::Validation {
        field: "sections",
        reason,
    })?;
    if sections
        .iter()
        .any(|section| section.text.chars().count() > MAX_SECTION_CHARS)
    {
        return Err(CoreError::Validation {
            field: "sections",
            reason: "a section is too long",
        });
    }
    Ok(())
}

fn pairs(sections: &[NoteSection]) -> impl Iterator<Item = (&str, &str)> {
    sections
        .iter()
        .map(|section| (section.key.as_str(), section.text.as_str()))
}

/// The note's WHO-5 wellbeing score (0 to 100) when all five items are
/// answered (lifestyle check-ins); `None` otherwise.
pub fn who5_score(sections: &[NoteSection]) -> Option<u8> {
    records::who5_score(pairs(sections))
}

/// A note with its addenda, straight from the vault: no role check, no
/// access-log entry. For the repository's own use and for applying the
/// store's feed, never for showing a note to someone.
pub(crate) fn load_for_sync(
    connection: &rusqlite::Connection,
    id: &str,
) -> CoreResult<Option<Note>> {
    let Some(mut note) = connection
        .prepare_cached(&format!("SELECT {NOTE_COLUMNS} FROM note WHERE id = ?1"))?
        .query_row([id], note_from_row)
        .optional()?
    else {
        return Ok(None);
    };
    let mut statement = connection.prepare_cached(
        "SELECT id, note_id, author_id, author_name, reason, text, created_at \
         FROM note_addendum WHERE note_id = ?1 ORDER BY created_at, rowid",
    )?;
    note.addenda = statement
        .query_map([id], addendum_from_row)?
        .collect::<Result<_, _>>()?;
    Ok(Some(note))
}

#[derive(Debug, Clone, Copy)]
pub struct NoteRepository<'a> {
    scope: Scope<'a>,
}

impl<'a> NoteRepository<'a> {
    pub fn new(scope: Scope<'a>) -> Self {
        Self { scope }
    }

    fn load(&self, id: &str) -> CoreResult<Note> {
        load_for_sync(self.scope.connection, id)?.ok_or(CoreError::NotFound("note"))
    }

    /// Loads a note the practitioner may see, or logs the denied attempt. A
    /// note of an unassigned client, or one the rules hide, is "not found".
    fn load_readable(&self, id: &str, action: AuditAction) -> CoreResult<Note> {
        let note = self.load(id)?;
        self.scope
            .require_assigned(&note.client_id, action, RecordPart::Note)?;
        if !NotePolicy::may_read(
            self.scope.practitioner,
            &note.author_id,
            note.visibility,
            note.status,
        ) {
            return self.scope.refuse(
                action,
                Target::new(RecordPart::Note)
                    .client(&note.client_id)
                    .record(&note.id),
                CoreError::NotFound("note"),
            );
        }
        Ok(note)
    }

    /// Opens a note: a read of the client's record, logged.
    pub fn get(&self, id: &str) -> CoreResult<Note> {
        let note = self.load_readable(id, AuditAction::Read)?;
        self.scope.log(
            AuditAction::Read,
            Target::new(RecordPart::Note)
                .client(&note.client_id)
                .record(&note.id),
        )?;
        Ok(note)
    }

    /// Starts a draft with the template's empty sections.
    pub fn create(&self, new: NewNote) -> CoreResult<Note> {
        let scope = self.scope;
        scope.require_assigned(&new.client_id, AuditAction::Create, RecordPart::Note)?;
        scope.authorize(
            NotePolicy::may_write(scope.practitioner.role, new.template),
            AuditAction::Create,
            Target::new(RecordPart::Note).client(&new.client_id),
            "lifestyle experts write lifestyle check-ins and free notes only",
        )?;
        scope.require_unrestricted(&new.client_id, AuditAction::Create, RecordPart::Note)?;
        if let Some(consult_id) = &new.consult_id {
            let belongs: bool = scope
                .connection
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM consult_client WHERE consult_id = ?1 AND client_id = ?2)",
                    params![consult_id, new.client_id],
                    |row| row.get(0),
                )?;
            if !belongs {
                return Err(CoreError::Validation {
                    field: "consultId",
                    reason: "is not a consult of this client",
                });
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        let now = now_utc();
        let sections: Vec<NoteSection> = new
            .template
            .section_keys()
            .iter()
            .map(|key| NoteSection {
                key: (*key).to_owned(),
                text: String::new(),
            })
            .collect();
        let sections_json = serde_json::to_string(&sections)
            .map_err(|error| CoreError::Internal(error.to_string()))?;
        db::atomically(scope.connection, || {
            scope.connection.execute(
                &format!(
                    "INSERT INTO note ({NOTE_COLUMNS}) VALUES \
                     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'draft', ?9, ?10, ?10, NULL, NULL, NULL, 1)"
                ),
                params![
                    id,
                    new.client_id,
                    new.consult_id,
                    scope.practitioner.id,
                    scope.practitioner.display_name,
                    scope.practitioner.role,
                    new.template,
                    new.visibility,
                    sections_json,
                    now
                ],
            )?;
            outbox::record_change(scope.connection, RecordKind::Note, &id, SyncAction::Upsert)?;
            scope.log(
                AuditAction::Create,
                Target::new(RecordPart::Note)
                    .client(&new.client_id)
                    .record(&id),
            )
        })?;
        self.load(&id)
    }

    /// Only the author edits a draft; a signed note is refused.
    fn load_own_draft(&self, id: &str, action: AuditAction) -> CoreResult<Note> {
        let note = self.load_readable(id, action)?;
        let target = Target::new(RecordPart::Note)
            .client(&note.client_id)
            .record(&note.id);
        self.scope.authorize(
            note.author_id == self.scope.practitioner.id,
            action,
            target,
            "only the author changes a draft",
        )?;
        if note.status == NoteStatus::Signed {
            return self.scope.refuse(action, target, CoreError::NoteSigned);
        }
        self.scope
            .require_unrestricted(&note.client_id, action, RecordPart::Note)?;
        Ok(note)
    }

    /// Autosave: replaces the draft's sections. Called while typing, so it
    /// does one read and one write and logs an update.
    pub fn save_draft(&self, id: &str, sections: Vec<NoteSection>) -> CoreResult<DraftSaved> {
        let mut note = self.load_own_draft(id, AuditAction::Update)?;
        validate_sections(note.template, &sections)?;
        let sections_json = serde_json::to_string(&sections)
            .map_err(|error| CoreError::Internal(error.to_string()))?;
        let now = now_utc();
        let scope = self.scope;
        db::atomically(scope.connection, || {
            scope
                .connection
                .prepare_cached(
                    "UPDATE note SET sections = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
                )?
                .execute(params![id, sections_json, now])?;
            note.sections = sections;
            search::index_note(scope.connection, &note)?;
            outbox::record_change(scope.connection, RecordKind::Note, id, SyncAction::Upsert)?;
            scope.log(
                AuditAction::Update,
                Target::new(RecordPart::Note)
                    .client(&note.client_id)
                    .record(id),
            )
        })?;
        Ok(DraftSaved {
            version: note.version + 1,
            updated_at: now,
        })
    }

    /// Signs a draft: from now on the note is immutable (the database refuses
    /// an update too), with signer, time and a hash of the content.
    pub fn sign(&self, id: &str) -> CoreResult<Note> {
        let note = self.load_own_draft(id, AuditAction::Sign)?;
        if note
            .sections
            .iter()
            .all(|section| section.text.trim().is_empty())
        {
            return Err(CoreError::Validation {
                field: "sections",
                reason: "an empty note cannot be signed",
            });
        }
        check_who5(pairs(&note.sections), true).map_err(|reason| CoreError::Validation {
            field: "sections",
            reason,
        })?;
        let scope = self.scope;
        let signed_at = now_utc();
        let signed_by = scope.practitioner.display_name.clone();
        let hash = content_hash(&note)?;
        db::atomically(scope.connection, || {
            scope.connection.execute(
                "UPDATE note SET status = 'signed', signed_at = ?2, signed_by = ?3, content_hash = ?4, \
                 updated_at = ?2, version = version + 1 WHERE id = ?1",
                params![id, signed_at, signed_by, hash],
            )?;
            let signed = self.load(id)?;
            search::note_status_changed(scope.connection, &signed)?;
            outbox::record_change(scope.connection, RecordKind::Note, id, SyncAction::Upsert)?;
            scope.log(
                AuditAction::Sign,
                Target::new(RecordPart::Note)
                    .client(&note.client_id)
                    .record(id),
            )
        })?;
        self.load(id)
    }

    /// Adds a correction to a signed note; the original stays as it was.
    pub fn add_addendum(&self, id: &str, reason: &str, text: &str) -> CoreResult<Note> {
        let note = self.load_readable(id, AuditAction::Create)?;
        let scope = self.scope;
        let target = Target::new(RecordPart::NoteAddendum)
            .client(&note.client_id)
            .record(&note.id);
        if note.status != NoteStatus::Signed {
            return Err(CoreError::Validation {
                field: "note",
                reason: "a draft is edited, not amended",
            });
        }
        scope.authorize(
            NotePolicy::may_add_addendum(scope.practitioner, &note),
            AuditAction::Create,
            target,
            "your role may not amend this note",
        )?;
        scope.require_unrestricted(
            &note.client_id,
            AuditAction::Create,
            RecordPart::NoteAddendum,
        )?;
        let reason = reason.trim();
        let text = text.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(CoreError::Validation {
                field: "reason",
                reason: "is required (at most 500 characters)",
            });
        }
        if text.is_empty() || text.chars().count() > MAX_SECTION_CHARS {
            return Err(CoreError::Validation {
                field: "text",
                reason: "is required",
            });
        }
        let addendum_id = uuid::Uuid::new_v4().to_string();
        db::atomically(scope.connection, || {
            scope.connection.execute(
                "INSERT INTO note_addendum (id, note_id, author_id, author_name, reason, text, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    addendum_id,
                    note.id,
                    scope.practitioner.id,
                    scope.practitioner.display_name,
                    reason,
                    text,
                    now_utc()
                ],
            )?;
            let amended = self.load(id)?;
            search::index_note(scope.connection, &amended)?;
            outbox::record_change(
                scope.connection,
                RecordKind::Addendum,
                &addendum_id,
                SyncAction::Upsert,
            )?;
            scope.log(AuditAction::Create, target)
        })?;
        self.load(id)
    }

    /// Throws a draft away (author only). Signed notes are never deleted here.
    pub fn discard_draft(&self, id: &str) -> CoreResult<()> {
        let note = self.load_own_draft(id, AuditAction::Delete)?;
        let scope = self.scope;
        db::atomically(scope.connection, || {
            scope
                .connection
                .execute("DELETE FROM note WHERE id = ?1", [id])?;
            search::remove_note(scope.connection, id)?;
            outbox::record_change(scope.connection, RecordKind::Note, id, SyncAction::Delete)?;
            scope.log(
                AuditAction::Delete,
                Target::new(RecordPart::Note)
                    .client(&note.client_id)
                    .record(id),
            )
        })
    }
}
