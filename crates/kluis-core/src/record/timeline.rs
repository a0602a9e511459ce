//! One client's history, newest first: consults, notes, addenda and check-ins
//! (SPEC §8 client detail), with what the role rules let the reader see.

use serde::{Deserialize, Serialize};

use crate::audit::{AuditAction, RecordPart};
use crate::error::CoreResult;
use crate::record::consults::{ConsultKind, ConsultRepository, ConsultStatus};
use crate::record::notes::{NoteStatus, NoteTemplate, Visibility, who5_score};
use crate::record::practitioner::Role;
use crate::record::scope::{Scope, Target};
use kluis_protocol::records::is_who5_item;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Consult,
    Note,
    Addendum,
    /// A self check-in consult or a lifestyle check-in note.
    CheckIn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TimelineItem {
    pub kind: TimelineKind,
    /// The consult's or the note's id (an addendum points at its note).
    pub id: String,
    /// UTC instant (RFC 3339) the item is ordered by.
    pub at: String,
    pub author_name: Option<String>,
    pub author_role: Option<Role>,
    pub consult_kind: Option<ConsultKind>,
    pub consult_status: Option<ConsultStatus>,
    pub note_template: Option<NoteTemplate>,
    pub note_status: Option<NoteStatus>,
    pub visibility: Option<Visibility>,
    /// The first words of the note or addendum, or the addendum's reason.
    pub summary: String,
    /// A signed lifestyle check-in's WHO-5 wellbeing score (0 to 100), when
    /// the index was taken.
    pub wellbeing_score: Option<u8>,
}

const SUMMARY_CHARS: usize = 140;

fn summary_of(texts: impl Iterator<Item = String>) -> String {
    let joined = texts
        .filter(|text| !text.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let words = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() > SUMMARY_CHARS {
        let cut: String = words.chars().take(SUMMARY_CHARS).collect();
        format!("{cut}…")
    } else {
        words
    }
}

/// The client's timeline, newest first, at most `limit` items, optionally only
/// some kinds. Logged as one read of the client's record.
pub fn for_client(
    scope: &Scope<'_>,
    client_id: &str,
    kinds: &[TimelineKind],
    limit: u32,
) -> CoreResult<Vec<TimelineItem>> {
    scope.require_assigned(client_id, AuditAction::Read, RecordPart::Timeline)?;
    let wanted = |kind: TimelineKind| kinds.is_empty() || kinds.contains(&kind);
    let mut items = Vec::new();

    for consult in ConsultRepository::new(*scope).for_client(client_id)? {
        let kind = if consult.kind == ConsultKind::SelfCheckIn {
            TimelineKind::CheckIn
        } else {
            TimelineKind::Consult
        };
        if wanted(kind) {
            items.push(TimelineItem {
                kind,
                id: consult.id,
                at: consult.starts_at,
                author_name: None,
                author_role: None,
                consult_kind: Some(consult.kind),
                consult_status: Some(consult.status),
                note_template: None,
                note_status: None,
                visibility: None,
                summary: format!(
                    "{} {}–{}",
                    consult.date, consult.start_time, consult.end_time
                ),
                wellbeing_score: None,
            });
        }
    }

    // Readable notes only: the reader's own, and signed care-team notes.
    let mut statement = scope.connection.prepare_cached(
        "SELECT n.id, COALESCE(n.signed_at, n.created_at), n.author_name, n.author_role, n.template, \
                n.status, n.visibility, n.sections \
         FROM note n WHERE n.client_id = ?1 \
           AND (n.author_id = ?2 OR (n.visibility = 'care_team' AND n.status = 'signed')) \
         ORDER BY n.created_at DESC LIMIT ?3",
    )?;
    let notes = statement.query_map(
        rusqlite::params![client_id, scope.practitioner.id, limit],
        |row| {
            let sections: String = row.get(7)?;
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Role>(3)?,
                row.get::<_, NoteTemplate>(4)?,
                row.get::<_, NoteStatus>(5)?,
                row.get::<_, Visibility>(6)?,
                sections,
            ))
        },
    )?;
    let mut note_ids = Vec::new();
    for note in notes {
        let (id, at, author_name, author_role, template, status, visibility, sections) = note?;
        let kind = if template == NoteTemplate::LifestyleCheckIn {
            TimelineKind::CheckIn
        } else {
            TimelineKind::Note
        };
        note_ids.push(id.clone());
        if wanted(kind) {
            let sections: Vec<crate::record::notes::NoteSection> =
                serde_json::from_str(&sections).unwrap_or_default();
            items.push(TimelineItem {
                kind,
                id,
                at,
                author_name: Some(author_name),
                author_role: Some(author_role),
                consult_kind: None,
                consult_status: None,
                note_template: Some(template),
                note_status: Some(status),
                visibility: Some(visibility),
                // A draft's answers may still change: only a signed
                // check-in's score is a measurement.
                wellbeing_score: if status == NoteStatus::Signed {
                    who5_score(&sections)
                } else {
                    None
                },
                summary: summary_of(
                    sections
                        .into_iter()
                        .filter(|section| !is_who5_item(&section.key))
                        .map(|section| section.text),
                ),
            });
        }
    }

    if wanted(TimelineKind::Addendum) {
        let mut statement = scope.connection.prepare_cached(
            "SELECT note_id, created_at, author_name, reason, text FROM note_addendum \
             WHERE note_id = ?1 ORDER BY created_at DESC",
        )?;
        for note_id in &note_ids {
            let addenda = statement.query_map([note_id], |row| {
                Ok(TimelineItem {
                    kind: TimelineKind::Addendum,
                    id: row.get(0)?,
                    at: row.get(1)?,
                    author_name: Some(row.get(2)?),
                    author_role: None,
                    consult_kind: None,
                    consult_status: None,
                    note_template: None,
                    note_status: None,
                    visibility: None,
                    summary: summary_of(
                        [row.get::<_, String>(3)?, row.get::<_, String>(4)?].into_iter(),
                    ),
                    wellbeing_score: None,
                })
            })?;
            for addendum in addenda {
                items.push(addendum?);
            }
        }
    }

    // RFC 3339 UTC strings of one format sort as their instants.
    items.sort_by(|a, b| b.at.cmp(&a.at));
    items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    scope.log(
        AuditAction::Read,
        Target::new(RecordPart::Timeline).client(client_id),
    )?;
    Ok(items)
}
