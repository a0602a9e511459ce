//! The NEN 7513 access log: who looked at or changed which part of whose
//! record, when, from which device, and with what outcome.
//!
//! Append-only and hash-chained: each entry's hash covers its fields and the
//! previous entry's hash, and `audit_head` holds the newest seq and hash. An
//! altered entry breaks its own hash, a removed entry breaks the chain (or the
//! head, when it was the last one). The log records that something was read,
//! never the content itself, and a search is logged without its terms.

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, CoreResult};
use crate::record::practitioner::Role;
use crate::record::scope::{Scope, Target, now_utc};
use crate::vault::db;

use kluis_protocol::audit::{AUDIT_HASH_VERSION, AuditEntry, GENESIS_HASH};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Read,
    Update,
    Delete,
    Sign,
    Export,
    Search,
    Print,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    Success,
    Denied,
}

/// Which part of a record an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RecordPart {
    Client,
    ClientList,
    Consult,
    Agenda,
    Note,
    NoteAddendum,
    Timeline,
    AccessLog,
    Search,
}

kluis_protocol::wire_text!(AuditAction {
    Create => "create", Read => "read", Update => "update", Delete => "delete",
    Sign => "sign", Export => "export", Search => "search", Print => "print",
});
kluis_protocol::wire_text!(AuditOutcome { Success => "success", Denied => "denied" });
kluis_protocol::wire_text!(RecordPart {
    Client => "client", ClientList => "client_list", Consult => "consult", Agenda => "agenda",
    Note => "note", NoteAddendum => "note_addendum", Timeline => "timeline",
    AccessLog => "access_log", Search => "search",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// Position in the chain; JavaScript numbers hold it exactly.
    pub seq: u32,
    pub id: String,
    /// UTC, to the second.
    pub occurred_at: String,
    pub actor_id: String,
    pub actor_name: String,
    pub actor_role: Role,
    pub device_id: String,
    pub on_behalf_of: Option<String>,
    pub action: AuditAction,
    pub client_id: Option<String>,
    pub record_part: RecordPart,
    pub record_id: Option<String>,
    pub outcome: AuditOutcome,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ChainVerification {
    pub entries: u32,
    pub intact: bool,
    /// The first entry (by seq) where the chain is broken.
    pub broken_at_seq: Option<u32>,
    pub problem: Option<String>,
}

/// The entry as it travels to the store, where its hash is defined (one
/// definition for the vault that writes the chain and the store that checks
/// it).
fn wire_entry(
    event: &AuditEvent,
    chain_id: &str,
    prev_hash: &str,
    hash: &str,
    hash_version: u32,
) -> AuditEntry {
    AuditEntry {
        chain_id: chain_id.to_owned(),
        seq: u64::from(event.seq),
        id: event.id.clone(),
        occurred_at: event.occurred_at.clone(),
        actor_id: event.actor_id.clone(),
        actor_name: event.actor_name.clone(),
        actor_role: event.actor_role.as_str().to_owned(),
        on_behalf_of: event.on_behalf_of.clone(),
        action: event.action.as_str().to_owned(),
        client_id: event.client_id.clone(),
        record_part: event.record_part.as_str().to_owned(),
        record_id: event.record_id.clone(),
        outcome: event.outcome.as_str().to_owned(),
        prev_hash: prev_hash.to_owned(),
        hash: hash.to_owned(),
        hash_version,
    }
}

fn entry_hash(prev_hash: &str, event: &AuditEvent, chain_id: &str, hash_version: u32) -> String {
    wire_entry(event, chain_id, prev_hash, "", hash_version).expected_hash()
}

fn head(scope: &Scope<'_>) -> CoreResult<(u32, String)> {
    Ok(scope
        .connection
        .prepare_cached("SELECT seq, hash FROM audit_head WHERE singleton = 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS_HASH.to_owned())))
}

/// Appends one entry and moves the head, in one unit of work.
pub(crate) fn append(
    scope: &Scope<'_>,
    action: AuditAction,
    target: Target<'_>,
    outcome: AuditOutcome,
) -> CoreResult<()> {
    db::atomically(scope.connection, || {
        let (last_seq, prev_hash) = head(scope)?;
        let event = AuditEvent {
            seq: last_seq
                .checked_add(1)
                .ok_or_else(|| CoreError::Storage("the access log is full".to_owned()))?,
            id: uuid::Uuid::new_v4().to_string(),
            occurred_at: now_utc(),
            actor_id: scope.practitioner.id.clone(),
            actor_name: scope.practitioner.display_name.clone(),
            actor_role: scope.practitioner.role,
            device_id: scope.device_id.to_owned(),
            on_behalf_of: None,
            action,
            client_id: target.client_id.map(str::to_owned),
            record_part: target.part,
            record_id: target.record_id.map(str::to_owned),
            outcome,
        };
        let hash = entry_hash(&prev_hash, &event, scope.chain_id, AUDIT_HASH_VERSION);
        scope
            .connection
            .prepare_cached(
                "INSERT INTO audit_event (seq, id, occurred_at, actor_id, actor_name, actor_role, \
                 device_id, on_behalf_of, action, client_id, record_part, record_id, outcome, \
                 prev_hash, hash, hash_version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![
                event.seq,
                event.id,
                event.occurred_at,
                event.actor_id,
                event.actor_name,
                event.actor_role.as_str(),
                event.device_id,
                event.on_behalf_of,
                event.action.as_str(),
                event.client_id,
                event.record_part.as_str(),
                event.record_id,
                event.outcome.as_str(),
                prev_hash,
                hash,
                AUDIT_HASH_VERSION,
            ])?;
        scope
            .connection
            .prepare_cached(
                "INSERT INTO audit_head (singleton, seq, hash) VALUES (1, ?1, ?2) \
                 ON CONFLICT (singleton) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            )?
            .execute(params![event.seq, hash])?;
        Ok(())
    })
}

const EVENT_COLUMNS: &str = "seq, id, occurred_at, actor_id, actor_name, actor_role, device_id, \
     on_behalf_of, action, client_id, record_part, record_id, outcome";

fn event_from_row(row: &Row<'_>) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        seq: row.get(0)?,
        id: row.get(1)?,
        occurred_at: row.get(2)?,
        actor_id: row.get(3)?,
        actor_name: row.get(4)?,
        actor_role: row.get(5)?,
        device_id: row.get(6)?,
        on_behalf_of: row.get(7)?,
        action: row.get(8)?,
        client_id: row.get(9)?,
        record_part: row.get(10)?,
        record_id: row.get(11)?,
        outcome: row.get(12)?,
    })
}

/// The access log of one client, newest first: "who looked at this record,
/// when, why". Viewing it is itself logged.
pub fn for_client(scope: &Scope<'_>, client_id: &str) -> CoreResult<Vec<AuditEvent>> {
    scope.require_assigned(client_id, AuditAction::Read, RecordPart::AccessLog)?;
    scope.log(
        AuditAction::Read,
        Target::new(RecordPart::AccessLog).client(client_id),
    )?;
    for_client_unlogged(scope, client_id)
}

/// The same, for a caller that checked the assignment and logs its own
/// action (an export).
pub(crate) fn for_client_unlogged(
    scope: &Scope<'_>,
    client_id: &str,
) -> CoreResult<Vec<AuditEvent>> {
    let mut statement = scope.connection.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM audit_event WHERE client_id = ?1 ORDER BY seq DESC"
    ))?;
    let rows = statement.query_map([client_id], event_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Walks the whole chain (`chain_id`: the vault's) and reports the first
/// entry that does not fit.
pub fn verify(connection: &rusqlite::Connection, chain_id: &str) -> CoreResult<ChainVerification> {
    let mut statement = connection.prepare(&format!(
        "SELECT {EVENT_COLUMNS}, prev_hash, hash, hash_version FROM audit_event ORDER BY seq"
    ))?;
    let mut rows = statement.query([])?;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut expected_seq = 1;
    let mut entries = 0u32;
    let broken = |seq: u32, problem: &str, entries: u32| ChainVerification {
        entries,
        intact: false,
        broken_at_seq: Some(seq),
        problem: Some(problem.to_owned()),
    };
    while let Some(row) = rows.next()? {
        let event = event_from_row(row)?;
        let prev_hash: String = row.get(13)?;
        let hash: String = row.get(14)?;
        let hash_version: u32 = row.get(15)?;
        entries += 1;
        if event.seq != expected_seq {
            return Ok(broken(expected_seq, "an entry is missing", entries));
        }
        if prev_hash != expected_prev {
            return Ok(broken(event.seq, "the chain does not link", entries));
        }
        if entry_hash(&prev_hash, &event, chain_id, hash_version) != hash {
            return Ok(broken(event.seq, "an entry was altered", entries));
        }
        expected_prev = hash;
        expected_seq += 1;
    }
    let head: Option<(u32, String)> = connection
        .query_row(
            "SELECT seq, hash FROM audit_head WHERE singleton = 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let last_seq = expected_seq - 1;
    match head {
        None if last_seq == 0 => {}
        Some((seq, hash)) if seq == last_seq && hash == expected_prev => {}
        _ => {
            return Ok(broken(
                last_seq + 1,
                "the newest entries were removed",
                entries,
            ));
        }
    }
    Ok(ChainVerification {
        entries,
        intact: true,
        broken_at_seq: None,
        problem: None,
    })
}

/// Entries after `after_seq`, oldest first, at most `limit`, as they are
/// uploaded to the store.
pub fn entries_after(
    connection: &rusqlite::Connection,
    chain_id: &str,
    after_seq: u64,
    limit: usize,
) -> CoreResult<Vec<AuditEntry>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS}, prev_hash, hash, hash_version FROM audit_event \
         WHERE seq > ?1 ORDER BY seq LIMIT ?2"
    ))?;
    let rows = statement.query_map(
        params![
            i64::try_from(after_seq).unwrap_or(i64::MAX),
            i64::try_from(limit).unwrap_or(i64::MAX)
        ],
        |row| {
            let event = event_from_row(row)?;
            let prev_hash: String = row.get(13)?;
            let hash: String = row.get(14)?;
            Ok(wire_entry(
                &event,
                chain_id,
                &prev_hash,
                &hash,
                row.get(15)?,
            ))
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}
