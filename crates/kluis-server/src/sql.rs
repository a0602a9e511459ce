//! The SQL both back ends run for records and the feed, written once.
//!
//! Statements are in SQLite's numbered-parameter form (`?1`, `?2`, …);
//! PostgreSQL runs them through [`for_postgres`], which numbers them `$1`,
//! `$2`, … instead. Statements whose text differs between the two databases
//! (upserts that ignore, advisory locks, `RETURNING` forms) stay with their
//! back end.

/// A record row, in the order `record_from_row` of each back end reads it.
pub(crate) const RECORD_COLUMNS: &str =
    "r.kind, r.id, r.version, r.seq, r.deleted, r.owner_id, r.visibility, r.status, r.body";

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
