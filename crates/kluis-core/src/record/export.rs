//! A client's copy of their record (AVG art. 15 and 20; SPEC §6): the
//! profile with its consents, every consult, every note the exporting
//! practitioner may read with its addenda (check-ins are notes), and the
//! client's access log (who, role, what, when). Private work notes are not
//! part of the record: they are left out, and the export says how many.
//!
//! The JSON is versioned; its schema is `docs/export/client-export-v2.schema.json`.
//! Exporting is itself logged (`export`). The readable PDF of the same
//! content is made in `export_document.rs`; [`write_client_export`] writes
//! both files, reporting its progress note by note.

use serde::Serialize;

use crate::audit::{AuditAction, AuditEvent, RecordPart};
use std::path::Path;

use crate::error::{CoreError, CoreResult};
use crate::profile::settings::Language;
use crate::record::clients::{Client, ClientRepository};
use crate::record::consults::{Consult, ConsultRepository};
use crate::record::notes::{Note, NotePolicy, Visibility, load_for_sync};
use crate::record::practitioner::Role;
use crate::record::scope::{Scope, Target, now_utc};
use crate::vault::fsutil;

/// The export format's name and version, in every export.
pub const EXPORT_FORMAT: &str = "kluis-client-export";
pub const EXPORT_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exporter {
    pub name: String,
    pub role: Role,
}

/// Everything of one client's record this practitioner may give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientExport {
    pub format: &'static str,
    pub version: u32,
    /// UTC, RFC 3339.
    pub exported_at: String,
    pub exported_by: Exporter,
    pub client: Client,
    pub consults: Vec<Consult>,
    /// Oldest first, each with its addenda.
    pub notes: Vec<Note>,
    /// Private work notes of practitioners: not part of the record.
    pub private_notes_left_out: u32,
    /// Who accessed the record, oldest first.
    pub access_log: Vec<AuditEvent>,
}

/// How far a long export is: steps done of all steps (one per note, then
/// the document and the files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    pub done: u32,
    pub total: u32,
}

/// Where [`write_client_export`] put the copy, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ExportedFiles {
    pub json_path: String,
    pub pdf_path: String,
    pub notes: u32,
    pub private_notes_left_out: u32,
}

/// Makes the export and logs it. The client must be on the exporter's care
/// team; notes follow the note rules (the exporter's own drafts are
/// included, another's drafts are not).
pub fn export_client(scope: &Scope<'_>, client_id: &str) -> CoreResult<ClientExport> {
    export_client_with_progress(scope, client_id, &mut |_| {}, 0)
}

/// Writes the client's copy as JSON and as a PDF in `language` into
/// `directory`, named by the client code and today's date (never the name).
pub fn write_client_export(
    scope: &Scope<'_>,
    client_id: &str,
    language: Language,
    directory: &Path,
    progress: &mut dyn FnMut(ExportProgress),
) -> CoreResult<ExportedFiles> {
    // Two steps after the notes: the document, then the files.
    let export = export_client_with_progress(scope, client_id, progress, 2)?;
    let total_notes = export.notes.len() as u32 + export.private_notes_left_out;
    let total = total_notes + 2;
    let json = serde_json::to_vec_pretty(&export)
        .map_err(|error| CoreError::Internal(format!("export as JSON: {error}")))?;
    let pdf = export.to_document(language).to_pdf();
    progress(ExportProgress {
        done: total_notes + 1,
        total,
    });
    let stem = format!(
        "{}-{}-{}",
        match language {
            Language::Nl => "kluis-inzage",
            Language::En => "kluis-record",
        },
        export.client.client_code,
        crate::record::consults::today_in_amsterdam().format("%Y-%m-%d")
    );
    let json_path = directory.join(format!("{stem}.json"));
    let pdf_path = directory.join(format!("{stem}.pdf"));
    fsutil::write_atomically(&json_path, &json)?;
    fsutil::write_atomically(&pdf_path, &pdf)?;
    progress(ExportProgress { done: total, total });
    Ok(ExportedFiles {
        json_path: json_path.display().to_string(),
        pdf_path: pdf_path.display().to_string(),
        notes: export.notes.len() as u32,
        private_notes_left_out: export.private_notes_left_out,
    })
}

/// [`export_client`], reporting a step per note; `steps_after` are the
/// caller's own steps, counted in the total.
fn export_client_with_progress(
    scope: &Scope<'_>,
    client_id: &str,
    progress: &mut dyn FnMut(ExportProgress),
    steps_after: u32,
) -> CoreResult<ClientExport> {
    scope.require_assigned(client_id, AuditAction::Export, RecordPart::Client)?;
    let client = ClientRepository::new(*scope).load(client_id)?;
    let consults = ConsultRepository::new(*scope).for_client(client_id)?;
    let ids: Vec<String> = scope
        .connection
        .prepare("SELECT id FROM note WHERE client_id = ?1 ORDER BY created_at, id")?
        .query_map([client_id], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut notes = Vec::new();
    let mut private_notes_left_out = 0u32;
    let total = ids.len() as u32 + steps_after;
    for (done, id) in ids.into_iter().enumerate() {
        progress(ExportProgress {
            done: done as u32,
            total,
        });
        let Some(note) = load_for_sync(scope.connection, &id)? else {
            continue;
        };
        if note.visibility == Visibility::Private {
            private_notes_left_out += 1;
            continue;
        }
        if NotePolicy::may_read(
            scope.practitioner,
            &note.author_id,
            note.visibility,
            note.status,
        ) {
            notes.push(note);
        }
    }
    let mut access_log = crate::audit::for_client_unlogged(scope, client_id)?;
    access_log.reverse();
    scope.log(
        AuditAction::Export,
        Target::new(RecordPart::Client).client(client_id),
    )?;
    Ok(ClientExport {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exported_at: now_utc(),
        exported_by: Exporter {
            name: scope.practitioner.display_name.clone(),
            role: scope.practitioner.role,
        },
        client,
        consults,
        notes,
        private_notes_left_out,
        access_log,
    })
}
