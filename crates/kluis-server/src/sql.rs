//! The SQL both back ends run, and how their rows become values, written once.
//!
//! Statements are in SQLite's numbered-parameter form (`?1`, `?2`, …);
//! PostgreSQL runs them through [`for_postgres`], which numbers them `$1`,
//! `$2`, … instead. Statements whose text differs between the two databases
//! (upserts that ignore, advisory locks, row locks) stay with their back end.
//!
//! Rows are read through [`Columns`], which each back end implements for its
//! row type, so a device, a caller or a record is made from a row in one
//! place: the back ends cannot map the same row differently.

use kluis_protocol::records::{NoteStatus, Visibility};
use kluis_protocol::{ErasureReason, RecordKind};

use crate::error::{ServerError, ServerResult};
use crate::store::{
    Access, AccessLogLine, Caller, Device, DeviceEvent, ErasureStatus, Practitioner, StoredRecord,
    StoredToken, role_from_stored,
};

/// One result row, by column position, as either back end hands it out.
pub(crate) trait Columns {
    fn text(&self, index: usize) -> ServerResult<String>;
    fn optional_text(&self, index: usize) -> ServerResult<Option<String>>;
    fn flag(&self, index: usize) -> ServerResult<bool>;
    fn number(&self, index: usize) -> ServerResult<u64>;
}

/// A stored enumeration's text as its value; anything else is damage.
fn stored<T>(text: &str, parse: fn(&str) -> Option<T>) -> ServerResult<T> {
    parse(text).ok_or_else(|| ServerError::Storage(format!("'{text}' is not a known value")))
}

fn optional_stored<T>(
    text: Option<String>,
    parse: fn(&str) -> Option<T>,
) -> ServerResult<Option<T>> {
    text.map(|text| stored(&text, parse)).transpose()
}

/// A device row, in the order the device statements select it.
const DEVICE_COLUMNS: &str = "d.id, d.practitioner_id, d.cert_fingerprint, d.created_at, \
     d.revoked_at, d.wipe_requested, d.cert_serial, d.key_words, d.last_contact_at, d.policy_hash, \
     d.wiped_at";

pub(crate) fn device_from(row: &impl Columns) -> ServerResult<Device> {
    Ok(Device {
        id: row.text(0)?,
        practitioner_id: row.text(1)?,
        cert_fingerprint: row.text(2)?,
        created_at: row.text(3)?,
        revoked_at: row.optional_text(4)?,
        wipe_requested: row.flag(5)?,
        cert_serial: row.optional_text(6)?,
        key_words: row.optional_text(7)?,
        last_contact_at: row.optional_text(8)?,
        policy_hash: row.optional_text(9)?,
        wiped_at: row.optional_text(10)?,
    })
}

/// A device row followed by its practitioner's id, name and role.
pub(crate) fn caller_from(row: &impl Columns) -> ServerResult<Caller> {
    Ok(Caller {
        device: device_from(row)?,
        practitioner: practitioner_from(row, 11)?,
    })
}

/// A practitioner's id, name and role, from column `first` on.
pub(crate) fn practitioner_from(row: &impl Columns, first: usize) -> ServerResult<Practitioner> {
    Ok(Practitioner {
        id: row.text(first)?,
        display_name: row.text(first + 1)?,
        role: role_from_stored(&row.text(first + 2)?)?,
    })
}

pub(crate) const ADD_PRACTITIONER: &str =
    "INSERT INTO practitioner (id, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4)";

pub(crate) const PRACTITIONER_BY_ID: &str =
    "SELECT id, display_name, role FROM practitioner WHERE id = ?1";

/// ?1 id, ?2 practitioner, ?3 fingerprint, ?4 created at, ?5 serial, ?6 key
/// words; not revoked, no wipe asked.
pub(crate) const ADD_DEVICE: &str = "INSERT INTO device (id, practitioner_id, cert_fingerprint, \
     created_at, revoked_at, wipe_requested, cert_serial, key_words) \
     VALUES (?1, ?2, ?3, ?4, NULL, FALSE, ?5, ?6)";

pub(crate) const DEVICE_EXISTS: &str = "SELECT 1 FROM device WHERE id = ?1";

/// ?1 secret hash, ?2 practitioner, ?3 device, ?4 created at, ?5 expires at.
pub(crate) const ADD_ENROLLMENT_TOKEN: &str = "INSERT INTO enrollment_token (secret_hash, \
     practitioner_id, device_id, created_at, expires_at, used_at) VALUES (?1, ?2, ?3, ?4, ?5, NULL)";

/// The token with secret hash ?1, in the order [`token_from`] reads it.
pub(crate) const ENROLLMENT_TOKEN: &str = "SELECT secret_hash, practitioner_id, device_id, \
     created_at, expires_at, used_at FROM enrollment_token WHERE secret_hash = ?1";

/// Marks token ?1 used at ?2.
pub(crate) const USE_ENROLLMENT_TOKEN: &str =
    "UPDATE enrollment_token SET used_at = ?2 WHERE secret_hash = ?1 AND used_at IS NULL";

/// The stored access log for ?1 client, ?2 practitioner, from ?3 to ?4 (each
/// `NULL` for any), in the order it happened.
pub(crate) const ACCESS_LOG: &str = "SELECT occurred_at, actor_id, actor_name, actor_role, \
     on_behalf_of, device_id, action, client_id, record_part, record_id, outcome FROM audit_log \
     WHERE (CAST(?1 AS TEXT) IS NULL OR client_id = ?1) \
     AND (CAST(?2 AS TEXT) IS NULL OR actor_id = ?2) \
     AND (CAST(?3 AS TEXT) IS NULL OR occurred_at >= ?3) \
     AND (CAST(?4 AS TEXT) IS NULL OR occurred_at < ?4) \
     ORDER BY occurred_at, chain_id, seq";

pub(crate) fn access_log_line_from(row: &impl Columns) -> ServerResult<AccessLogLine> {
    Ok(AccessLogLine {
        occurred_at: row.text(0)?,
        actor_id: row.text(1)?,
        actor_name: row.text(2)?,
        actor_role: row.text(3)?,
        on_behalf_of: row.optional_text(4)?,
        device_id: row.text(5)?,
        action: row.text(6)?,
        client_id: row.optional_text(7)?,
        record_part: row.text(8)?,
        record_id: row.optional_text(9)?,
        outcome: row.text(10)?,
    })
}

pub(crate) fn token_from(row: &impl Columns) -> ServerResult<StoredToken> {
    Ok(StoredToken {
        secret_hash: row.text(0)?,
        practitioner_id: row.text(1)?,
        device_id: row.text(2)?,
        created_at: row.text(3)?,
        expires_at: row.text(4)?,
        used_at: row.optional_text(5)?,
    })
}

/// The device with certificate fingerprint ?1 and its practitioner.
pub(crate) fn caller_by_fingerprint() -> String {
    format!(
        "SELECT {DEVICE_COLUMNS}, p.id, p.display_name, p.role FROM device d \
         JOIN practitioner p ON p.id = d.practitioner_id WHERE d.cert_fingerprint = ?1"
    )
}

pub(crate) fn list_devices() -> String {
    format!("SELECT {DEVICE_COLUMNS} FROM device d ORDER BY d.created_at, d.id")
}

/// The device with id ?1.
pub(crate) fn device_by_id() -> String {
    format!("SELECT {DEVICE_COLUMNS} FROM device d WHERE d.id = ?1")
}

/// Revokes device ?1 at ?2, keeping the first revocation's time.
pub(crate) const REVOKE_DEVICE: &str =
    "UPDATE device SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1";

pub(crate) const REQUEST_WIPE: &str = "UPDATE device SET wipe_requested = TRUE WHERE id = ?1";

/// Device ?1 erased itself at ?2; revoked at ?3 unless it was before.
pub(crate) const MARK_WIPED: &str = "UPDATE device SET wiped_at = ?2, \
     revoked_at = COALESCE(revoked_at, ?3) WHERE id = ?1";

/// Device ?1 was heard from at ?2, reporting policy hash ?3 (`NULL`: it did
/// not say, and the last one stands).
pub(crate) const RECORD_CONTACT: &str = "UPDATE device SET last_contact_at = ?2, \
     policy_hash = COALESCE(?3, policy_hash) WHERE id = ?1";

/// ?1 device, ?2 when, ?3 kind, ?4 detail.
pub(crate) const ADD_DEVICE_EVENT: &str =
    "INSERT INTO device_event (device_id, occurred_at, kind, detail) VALUES (?1, ?2, ?3, ?4)";

/// Device ?1's history, oldest first, as [`device_event_from`] reads it.
pub(crate) const DEVICE_EVENTS: &str =
    "SELECT occurred_at, kind, detail FROM device_event WHERE device_id = ?1 ORDER BY id";

/// The records of client ?1, by key.
pub(crate) const RECORD_KEYS_OF_CLIENT: &str =
    "SELECT kind, id FROM record_client WHERE client_id = ?1 ORDER BY kind, id";

/// ?1 client, ?2 when, ?3 practitioner, ?4 device (both NULL for the
/// store's own), ?5 the tombstone's seq, ?6 the reason.
pub(crate) const ADD_ERASURE: &str = "INSERT INTO erasure (client_id, erased_at, \
     practitioner_id, device_id, seq, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// The active devices of client ?1's care team are to apply its erasure.
pub(crate) const ADD_ERASURE_DEVICES: &str = "INSERT INTO erasure_device (client_id, device_id) \
     SELECT DISTINCT a.client_id, d.id FROM assignment a \
     JOIN device d ON d.practitioner_id = a.practitioner_id \
     WHERE a.client_id = ?1 AND d.revoked_at IS NULL";

/// Device ?1 pulled from cursor ?2 at ?3.
pub(crate) const ACKNOWLEDGE_ERASURES: &str = "UPDATE erasure_device SET acknowledged_at = ?3 \
     WHERE device_id = ?1 AND acknowledged_at IS NULL \
     AND client_id IN (SELECT client_id FROM erasure WHERE seq <= ?2)";

/// Whether client ?1 was erased (its tombstone may be gone since).
pub(crate) const WAS_ERASED: &str = "SELECT 1 FROM erasure WHERE client_id = ?1";

/// Notes at time ?1 where the feed stands.
/// (`WHERE true` tells SQLite's parser the ON CONFLICT is the upsert's.)
pub(crate) const MARK_FEED: &str = "INSERT INTO feed_mark (marked_at, seq) \
     SELECT ?1, seq FROM feed_counter WHERE true ON CONFLICT (marked_at) DO NOTHING";

/// The feed position of the newest mark at or before ?1, if any.
pub(crate) const FEED_MARK_BEFORE: &str =
    "SELECT seq FROM feed_mark WHERE marked_at <= ?1 ORDER BY marked_at DESC LIMIT 1";

/// The tombstones up to feed position ?1: their client links, then them.
pub(crate) const PRUNE_TOMBSTONE_LINKS: &str = "DELETE FROM record_client WHERE EXISTS \
     (SELECT 1 FROM record r WHERE r.kind = record_client.kind AND r.id = record_client.id \
      AND r.deleted AND r.seq <= ?1)";
pub(crate) const PRUNE_TOMBSTONES: &str = "DELETE FROM record WHERE deleted AND seq <= ?1";

/// Tombstones are removed up to ?1 (never less than before), at ?2.
pub(crate) const ADVANCE_HORIZON: &str = "UPDATE feed_horizon SET \
     pruned_through = CASE WHEN pruned_through < ?1 THEN ?1 ELSE pruned_through END, \
     pruned_at = ?2 WHERE singleton = 1";

/// Marks older than ?1 are no longer needed.
pub(crate) const FORGET_FEED_MARKS: &str = "DELETE FROM feed_mark WHERE marked_at < ?1";

/// Device ?1 begins a pull from the start of the feed under horizon ?2.
pub(crate) const NOTE_FULL_PULL: &str = "INSERT INTO device_full_pull (device_id, horizon) \
     VALUES (?1, ?2) ON CONFLICT (device_id) DO UPDATE SET horizon = excluded.horizon";
pub(crate) const FULL_PULL_HORIZON: &str =
    "SELECT horizon FROM device_full_pull WHERE device_id = ?1";

pub(crate) const PRUNED_THROUGH: &str =
    "SELECT pruned_through FROM feed_horizon WHERE singleton = 1";

/// The bodies of every live record of kind ?1, in feed order: for the
/// store's own jobs (reports, retention), never for a device.
pub(crate) const LIVE_BODIES: &str =
    "SELECT body FROM record WHERE kind = ?1 AND NOT deleted AND body IS NOT NULL ORDER BY seq";

/// Every erasure with its counts, in the order [`erasure_from`] reads it.
pub(crate) const ERASURES: &str = "SELECT e.client_id, e.erased_at, e.device_id, e.reason, \
     (SELECT count(*) FROM erasure_device x \
      WHERE x.client_id = e.client_id AND x.acknowledged_at IS NOT NULL), \
     (SELECT count(*) FROM erasure_device x WHERE x.client_id = e.client_id) \
     FROM erasure e ORDER BY e.erased_at, e.client_id";

pub(crate) fn erasure_from(row: &impl Columns) -> ServerResult<ErasureStatus> {
    Ok(ErasureStatus {
        client_id: row.text(0)?,
        erased_at: row.text(1)?,
        device_id: row.optional_text(2)?,
        reason: stored(&row.text(3)?, ErasureReason::parse)?,
        acknowledged: row.number(4)?,
        devices: row.number(5)?,
    })
}

pub(crate) fn record_key_from(row: &impl Columns) -> ServerResult<(RecordKind, String)> {
    Ok((stored(&row.text(0)?, RecordKind::parse)?, row.text(1)?))
}

pub(crate) fn device_event_from(row: &impl Columns) -> ServerResult<DeviceEvent> {
    Ok(DeviceEvent {
        occurred_at: row.text(0)?,
        kind: row.text(1)?,
        detail: row.text(2)?,
    })
}

/// The next feed position.
pub(crate) const NEXT_SEQ: &str =
    "UPDATE feed_counter SET seq = seq + 1 WHERE singleton = 1 RETURNING seq";

/// The version device ?1's operation ?2 was applied as.
pub(crate) const APPLIED_OPERATION: &str =
    "SELECT version FROM applied_operation WHERE device_id = ?1 AND op_id = ?2";

pub(crate) const REMEMBER_OPERATION: &str = "INSERT INTO applied_operation \
     (op_id, device_id, version, applied_at) VALUES (?1, ?2, ?3, ?4)";

/// The newest entry (seq, hash) of chain ?1.
pub(crate) const AUDIT_LAST: &str =
    "SELECT seq, hash FROM audit_log WHERE chain_id = ?1 ORDER BY seq DESC LIMIT 1";

pub(crate) const AUDIT_HASH: &str = "SELECT hash FROM audit_log WHERE chain_id = ?1 AND seq = ?2";

/// Binds chain ?1 to device ?2 at ?3 unless it is bound already.
pub(crate) const START_AUDIT_CHAIN: &str = "INSERT INTO audit_chain (chain_id, device_id, \
     started_at) VALUES (?1, ?2, ?3) ON CONFLICT (chain_id) DO NOTHING";

/// One access-log entry: its 15 fields as the protocol has them, then the
/// uploading device, the time received and the hash version.
pub(crate) const APPEND_AUDIT: &str = "INSERT INTO audit_log (chain_id, seq, id, occurred_at, \
     actor_id, actor_name, actor_role, on_behalf_of, action, client_id, record_part, record_id, \
     outcome, prev_hash, hash, device_id, received_at, hash_version) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

/// A record row, in the order [`record_from`] reads it.
pub(crate) const RECORD_COLUMNS: &str =
    "r.kind, r.id, r.version, r.seq, r.deleted, r.owner_id, r.visibility, r.status, r.body";

/// A record row as selected by [`RECORD_COLUMNS`]; its clients are read
/// separately ([`RECORD_CLIENTS`]).
pub(crate) fn record_from(row: &impl Columns) -> ServerResult<StoredRecord> {
    Ok(StoredRecord {
        kind: stored(&row.text(0)?, RecordKind::parse)?,
        id: row.text(1)?,
        version: row.number(2)?,
        seq: row.number(3)?,
        deleted: row.flag(4)?,
        access: Access {
            client_ids: Vec::new(),
            owner_id: row.optional_text(5)?,
            visibility: optional_stored(row.optional_text(6)?, Visibility::parse)?,
            status: optional_stored(row.optional_text(7)?, NoteStatus::parse)?,
        },
        body: row.optional_text(8)?,
    })
}

/// The rows of the record table practitioner ?1 may see after cursor ?2:
/// records of a client assigned to them, and of those only the clients and
/// consults, their own notes, and signed notes shared with the care team.
const FEED_FILTER: &str = "r.seq > ?2 \
     AND EXISTS (SELECT 1 FROM record_client rc \
                 JOIN assignment a ON a.client_id = rc.client_id AND a.practitioner_id = ?1 \
                 WHERE rc.kind = r.kind AND rc.id = r.id) \
     AND (r.kind IN ('client', 'consult') OR r.owner_id = ?1 \
          OR (r.visibility = 'care_team' AND r.status = 'signed'))";

/// One page of the feed: ?1 practitioner, ?2 cursor, ?3 page size.
pub(crate) fn feed_page() -> String {
    format!("SELECT {RECORD_COLUMNS} FROM record r WHERE {FEED_FILTER} ORDER BY r.seq LIMIT ?3")
}

/// How many records of the feed follow: ?1 practitioner, ?2 cursor.
pub(crate) fn feed_remaining() -> String {
    format!("SELECT count(*) FROM record r WHERE {FEED_FILTER}")
}

/// One record by ?1 kind and ?2 id.
pub(crate) fn record_by_key() -> String {
    format!("SELECT {RECORD_COLUMNS} FROM record r WHERE r.kind = ?1 AND r.id = ?2")
}

/// The clients a record (?1 kind, ?2 id) belongs to.
pub(crate) const RECORD_CLIENTS: &str =
    "SELECT client_id FROM record_client WHERE kind = ?1 AND id = ?2 ORDER BY client_id";

/// Inserts or replaces a record at feed position ?4.
pub(crate) const WRITE_RECORD: &str = "INSERT INTO record (kind, id, version, seq, deleted, owner_id, visibility, status, body) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
     ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, \
     deleted = excluded.deleted, owner_id = excluded.owner_id, \
     visibility = excluded.visibility, status = excluded.status, body = excluded.body";

pub(crate) const FORGET_RECORD_CLIENTS: &str =
    "DELETE FROM record_client WHERE kind = ?1 AND id = ?2";

pub(crate) const ADD_RECORD_CLIENT: &str =
    "INSERT INTO record_client (kind, id, client_id) VALUES (?1, ?2, ?3)";

pub(crate) const IS_ASSIGNED: &str =
    "SELECT 1 FROM assignment WHERE client_id = ?1 AND practitioner_id = ?2";

/// Records are moved in the order they refer to each other (a client before
/// its consults, a consult before its notes, a note before its addenda), so a
/// device that receives them across several pages never holds a record whose
/// reference has not arrived yet.
const REFERENCED_FIRST: &str = "CASE kind WHEN 'client' THEN 0 WHEN 'consult' THEN 1 \
     WHEN 'note' THEN 2 ELSE 3 END, id";

/// The records of client ?1, in the order they are moved along the feed.
pub(crate) fn client_records() -> String {
    format!("SELECT kind, id FROM record_client WHERE client_id = ?1 ORDER BY {REFERENCED_FIRST}")
}

/// Moves a record (?1 kind, ?2 id) to feed position ?3.
pub(crate) const MOVE_RECORD: &str = "UPDATE record SET seq = ?3 WHERE kind = ?1 AND id = ?2";

/// `sql` with PostgreSQL's `$n` parameters in place of SQLite's `?n`. The
/// statements here hold no other question mark.
pub(crate) fn for_postgres(sql: &str) -> String {
    let mut converted = String::with_capacity(sql.len());
    let mut characters = sql.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '?' && characters.peek().is_some_and(char::is_ascii_digit) {
            converted.push('$');
        } else {
            converted.push(character);
        }
    }
    converted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_renumbered_for_postgres_and_nothing_else_changes() {
        assert_eq!(
            for_postgres("UPDATE record SET seq = ?3 WHERE kind = ?1 AND id = ?12"),
            "UPDATE record SET seq = $3 WHERE kind = $1 AND id = $12"
        );
        assert_eq!(
            for_postgres("SELECT '?' || x, ? FROM t"),
            "SELECT '?' || x, ? FROM t"
        );
        for statement in [
            caller_by_fingerprint(),
            list_devices(),
            ADD_DEVICE.to_owned(),
            ADD_ENROLLMENT_TOKEN.to_owned(),
            ENROLLMENT_TOKEN.to_owned(),
            ACCESS_LOG.to_owned(),
            APPEND_AUDIT.to_owned(),
            feed_page(),
            feed_remaining(),
            record_by_key(),
            RECORD_CLIENTS.to_owned(),
            WRITE_RECORD.to_owned(),
            FORGET_RECORD_CLIENTS.to_owned(),
            ADD_RECORD_CLIENT.to_owned(),
            IS_ASSIGNED.to_owned(),
            MOVE_RECORD.to_owned(),
            client_records(),
        ] {
            let converted = for_postgres(&statement);
            assert!(!converted.contains('?'), "{converted}");
            assert_eq!(
                converted.matches('$').count(),
                statement.matches('?').count(),
                "{statement}"
            );
        }
    }
}
