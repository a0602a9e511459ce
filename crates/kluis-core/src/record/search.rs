//! Full-text search over clients and notes, inside the encrypted vault.
//!
//! SQLite FTS5 with `unicode61 remove_diacritics 2` (so "een" finds "één") and
//! prefix indexes; every term of the query must match, as a prefix, and hits are
//! ranked by BM25. Permissions are part of the query itself, so a note the
//! practitioner may not read never leaves the database, and a limit never
//! hides a readable hit behind unreadable ones.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::audit::{AuditAction, RecordPart};
use crate::error::{CoreError, CoreResult};
use crate::record::notes::{Note, NoteStatus, NoteTemplate, Visibility, searchable_text};
use crate::record::scope::{Scope, Target};

const MAX_QUERY_CHARS: usize = 200;
const MAX_HITS: u32 = 50;
const SNIPPET_CHARS: usize = 160;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SearchHitKind {
    Client,
    Note,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub kind: SearchHitKind,
    /// The client's id for a client hit, the note's id for a note hit.
    pub id: String,
    pub client_id: String,
    pub client_code: String,
    pub client_name: String,
    /// The client's record is restricted (read-only), shown with the hit.
    pub client_restricted: bool,
    pub note_template: Option<NoteTemplate>,
    pub note_created_at: Option<String>,
    /// A short piece of the text around the first matching word.
    pub snippet: String,
}

/// What the role rules need to know of an indexed document.
struct Document<'a> {
    kind: &'a str,
    record_id: &'a str,
    client_id: &'a str,
    author_id: Option<&'a str>,
    visibility: Option<Visibility>,
    status: Option<NoteStatus>,
}

/// Writes the document row (insert or update) and returns its key, the rowid
/// of its text in `search_index`.
fn upsert_document(connection: &Connection, document: &Document<'_>) -> CoreResult<i64> {
    connection
        .prepare_cached(
            "INSERT INTO search_document (kind, record_id, client_id, author_id, visibility, status) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (kind, record_id) DO UPDATE SET client_id = excluded.client_id, \
             author_id = excluded.author_id, visibility = excluded.visibility, status = excluded.status \
             RETURNING key",
        )?
        .query_row(
            params![
                document.kind,
                document.record_id,
                document.client_id,
                document.author_id,
                document.visibility,
                document.status
            ],
            |row| row.get(0),
        )
        .map_err(CoreError::from)
}

fn replace_text(connection: &Connection, key: i64, body: &str) -> CoreResult<()> {
    connection
        .prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
        .execute([key])?;
    connection
        .prepare_cached("INSERT INTO search_index (rowid, body) VALUES (?1, ?2)")?
        .execute(params![key, body])?;
    Ok(())
}

fn note_document(note: &Note) -> Document<'_> {
    Document {
        kind: "note",
        record_id: &note.id,
        client_id: &note.client_id,
        author_id: Some(&note.author_id),
        visibility: Some(note.visibility),
        status: Some(note.status),
    }
}

/// Indexes a note's text and who may find it.
pub(crate) fn index_note(connection: &Connection, note: &Note) -> CoreResult<()> {
    let key = upsert_document(connection, &note_document(note))?;
    replace_text(connection, key, &searchable_text(note))
}

/// A note was signed: its text is unchanged, but others may now find it.
pub(crate) fn note_status_changed(connection: &Connection, note: &Note) -> CoreResult<()> {
    upsert_document(connection, &note_document(note))?;
    Ok(())
}

pub(crate) fn remove_note(connection: &Connection, note_id: &str) -> CoreResult<()> {
    let key: Option<i64> = connection
        .query_row(
            "DELETE FROM search_document WHERE kind = 'note' AND record_id = ?1 RETURNING key",
            [note_id],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(key) = key {
        connection.execute("DELETE FROM search_index WHERE rowid = ?1", [key])?;
    }
    Ok(())
}

pub(crate) fn index_client(connection: &Connection, client_id: &str, body: &str) -> CoreResult<()> {
    let key = upsert_document(
        connection,
        &Document {
            kind: "client",
            record_id: client_id,
            client_id,
            author_id: None,
            visibility: None,
            status: None,
        },
    )?;
    replace_text(connection, key, body)
}

/// Words so common in Dutch (and English) notes that they match nearly every
/// note: they add nothing to a search but the cost of ranking everything.
const STOPWORDS: &[&str] = &[
    "de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "met", "voor", "niet", "zijn",
    "er", "aan", "die", "of", "ook", "als", "bij", "om", "maar", "ze", "hij", "zij", "ik", "we",
    "the", "a", "an", "and", "of", "to", "is", "in", "on", "for", "with",
];

/// Turns what the user typed into an FTS5 query: words only (no operators),
/// each a quoted prefix term, all required. Stop words are left out unless
/// the query has nothing else.
pub fn match_expression(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect();
    let meaningful: Vec<&String> = words
        .iter()
        .filter(|word| !STOPWORDS.contains(&word.as_str()))
        .collect();
    let chosen: Vec<&String> = if meaningful.is_empty() {
        words.iter().collect()
    } else {
        meaningful
    };
    let terms: Vec<String> = chosen.iter().map(|word| format!("\"{word}\"*")).collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Folds case and the common Latin diacritics, for finding the snippet.
fn fold(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// About `SNIPPET_CHARS` characters of `text` around the first word that
/// starts with one of the query's words.
fn snippet(text: &str, query: &str) -> String {
    let folded: Vec<char> = text.chars().map(fold).collect();
    let words: Vec<Vec<char>> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.chars().map(fold).collect())
        .collect();
    let found = (0..folded.len()).find(|&start| {
        (start == 0 || !folded[start - 1].is_alphanumeric())
            && words.iter().any(|word| folded[start..].starts_with(word))
    });
    let start = found.map_or(0, |position| position.saturating_sub(SNIPPET_CHARS / 3));
    let piece: String = text
        .chars()
        .skip(start)
        .take(SNIPPET_CHARS)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if text.chars().count() > start + SNIPPET_CHARS {
        "…"
    } else {
        ""
    };
    format!("{prefix}{piece}{suffix}")
}

/// Searches clients and notes the practitioner may read, best first. The
/// search is logged (without its terms: they may name a client).
pub fn search(scope: &Scope<'_>, query: &str) -> CoreResult<Vec<SearchHit>> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(CoreError::Validation {
            field: "query",
            reason: "is too long",
        });
    }
    let Some(expression) = match_expression(query) else {
        return Ok(Vec::new());
    };
    // One statement: the role rules filter inside the ranking, so the limit
    // never hides a readable hit behind unreadable ones. The rules read only
    // `search_document` (see the migration); they are `NotePolicy::may_read`
    // and the assignment rule, in SQL. Measured: ranking in FTS5 alone first
    // (`ORDER BY rank`) was ten times slower than `ORDER BY bm25(…)` here.
    let mut statement = scope.connection.prepare_cached(
        "SELECT d.kind, d.record_id, d.client_id \
         FROM search_index JOIN search_document d ON d.key = search_index.rowid \
         WHERE search_index MATCH ?1 \
           AND d.client_id IN (SELECT client_id FROM client_assignment WHERE practitioner_id = ?2) \
           AND (d.kind = 'client' OR d.author_id = ?2 \
                OR (d.visibility = 'care_team' AND d.status = 'signed')) \
         ORDER BY bm25(search_index) \
         LIMIT ?3",
    )?;
    struct Row {
        kind: String,
        id: String,
        client_id: String,
    }
    let rows: Vec<Row> = statement
        .query_map(
            params![expression, scope.practitioner.id, MAX_HITS],
            |row| {
                Ok(Row {
                    kind: row.get(0)?,
                    id: row.get(1)?,
                    client_id: row.get(2)?,
                })
            },
        )?
        .collect::<Result<_, _>>()?;

    let mut client_statement = scope.connection.prepare_cached(
        "SELECT client_code, first_name, last_name, remarks, employer, restricted FROM client \
         WHERE id = ?1",
    )?;
    // Read for the hits only: reading every match's note row before the limit
    // made a common word cost microseconds per match.
    let mut note_statement = scope
        .connection
        .prepare_cached("SELECT template, created_at, sections FROM note WHERE id = ?1")?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let (client_code, first_name, last_name, remarks, employer, client_restricted): (
            String,
            String,
            Option<String>,
            String,
            Option<String>,
            bool,
        ) = client_statement.query_row([&row.client_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        let client_name = match &last_name {
            Some(last) => format!("{first_name} {last}"),
            None => first_name.clone(),
        };
        let mut template = None;
        let mut created_at = None;
        let (kind, text) = if row.kind == "note" {
            let (note_template, note_created_at, sections): (NoteTemplate, String, String) =
                note_statement.query_row([&row.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            template = Some(note_template);
            created_at = Some(note_created_at);
            let sections: Vec<crate::record::notes::NoteSection> = serde_json::from_str(&sections)
                .map_err(|_| CoreError::Storage("unreadable note sections".to_owned()))?;
            let text = sections
                .iter()
                .map(|section| section.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            (SearchHitKind::Note, text)
        } else {
            let text = format!(
                "{client_name} {client_code} {} {remarks}",
                employer.unwrap_or_default()
            );
            (SearchHitKind::Client, text)
        };
        hits.push(SearchHit {
            kind,
            id: row.id,
            client_id: row.client_id,
            client_code,
            client_name,
            client_restricted,
            note_template: template,
            note_created_at: created_at,
            snippet: snippet(&text, query),
        });
    }
    scope.log(AuditAction::Search, Target::new(RecordPart::Search))?;
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_quoted_prefix_terms() {
        assert_eq!(
            match_expression("slaap  \"OR\" NEAR(x"),
            Some("\"slaap\"* \"or\"* \"near\"* \"x\"*".to_owned())
        );
        assert_eq!(match_expression("  ()*  "), None);
    }

    #[test]
    fn stop_words_are_dropped_unless_nothing_else_is_left() {
        assert_eq!(
            match_expression("de slaap van het kind"),
            Some("\"slaap\"* \"kind\"*".to_owned())
        );
        assert_eq!(match_expression("een"), Some("\"een\"*".to_owned()));
    }

    #[test]
    fn snippet_finds_the_word_without_diacritics() {
        let text = "Eerste zin. Daarna volgt één afspraak over slaap.";
        assert!(snippet(text, "een").starts_with("Eerste zin. Daarna volgt één"));
        assert!(snippet(text, "slaap").contains("slaap"));
    }
}
