//! A client's copy of their record (AVG art. 15 and 20; SPEC §6): the
//! profile with its consents, every consult, every note the exporting
//! practitioner may read with its addenda (check-ins are notes), and the
//! client's access log (who, role, what, when). Private work notes are not
//! part of the record: they are left out, and the export says how many.
//!
//! The JSON is versioned; its schema is `docs/export/client-export-v1.schema.json`.
//! Exporting is itself logged (`export`). A readable document of the same
//! content belongs here too (not built yet).

use serde::Serialize;

use crate::audit::{AuditAction, AuditEvent, RecordPart};
use crate::error::CoreResult;
use crate::record::clients::{Client, ClientRepository};
use crate::record::consults::{Consult, ConsultRepository};
use crate::record::notes::{Note, NotePolicy, Visibility, load_for_sync};
use crate::record::practitioner::Role;
use crate::record::scope::{Scope, Target, now_utc};

/// The export format's name and version, in every export.
pub const EXPORT_FORMAT: &str = "kluis-client-export";
pub const EXPORT_VERSION: u32 = 1;

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

/// Makes the export and logs it. The client must be on the exporter's care
/// team; notes follow the note rules (the exporter's own drafts are
/// included, another's drafts are not).
pub fn export_client(scope: &Scope<'_>, client_id: &str) -> CoreResult<ClientExport> {
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
    for id in ids {
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
