//! Outgoing, first half: the record as it is in the vault now, in its wire
//! form, with the store's last known version of it.

use kluis_protocol::records::{
    AddendumRecord, ConsultKind, ConsultRecord, ConsultStatus, NoteRecord,
    NoteSection as WireSection, NoteStatus, NoteTemplate, Role, Visibility,
};
use kluis_protocol::{Record, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{CoreError, CoreResult};
use crate::record::clients::stored_client;
use crate::record::notes::NoteSection;

/// A stored enumeration's text as its value; anything else is damage.
pub(super) fn stored<T>(text: &str, parse: fn(&str) -> Option<T>) -> CoreResult<T> {
    parse(text).ok_or_else(|| CoreError::Storage(format!("'{text}' has no wire form")))
}

pub(super) fn text_of<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        _ => Err(CoreError::Internal("not a text enumeration".to_owned())),
    }
}

/// The record as it is in the vault now, in its wire form.
pub fn export_record(
    connection: &Connection,
    kind: RecordKind,
    id: &str,
) -> CoreResult<Option<Record>> {
    match kind {
        RecordKind::Client => {
            Ok(stored_client(connection, id)?.map(|client| Record::Client(client.into_wire())))
        }
        RecordKind::Consult => {
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
            let Some((
                id,
                practitioner_id,
                kind,
                starts_at,
                duration_minutes,
                status,
                series_id,
                link,
            )) = row
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
        RecordKind::Note => {
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
                [
                    id,
                    client_id,
                    consult_id,
                    author_id,
                    author_name,
                    author_role,
                    template,
                    visibility,
                    status,
                    sections,
                    created_at,
                    signed_at,
                    signed_by,
                    content_hash,
                ],
            ) = row
            else {
                return Ok(None);
            };
            let required = |value: Option<String>| {
                value
                    .ok_or_else(|| CoreError::Storage("a required note column is empty".to_owned()))
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
        RecordKind::Addendum => Ok(connection
            .query_row(
                "SELECT id, note_id, author_id, author_name, reason, text, created_at \
                 FROM note_addendum WHERE id = ?1",
                [id],
                crate::record::notes::addendum_from_row,
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

pub(super) fn known_version(
    connection: &Connection,
    kind: RecordKind,
    id: &str,
) -> CoreResult<Option<u64>> {
    Ok(connection
        .prepare_cached(
            "SELECT server_version FROM sync_record WHERE kind = ?1 AND record_id = ?2",
        )?
        .query_row(params![kind, id], |row| row.get::<_, i64>(0))
        .optional()?
        .map(|version| u64::try_from(version).unwrap_or(0)))
}
