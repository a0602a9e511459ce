//! Small pieces of working state kept in the vault (so they are encrypted and
//! go away with it): where the practitioner was when the vault locked.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{CoreError, CoreResult};

const RESUME_KEY: &str = "resume_point";

pub(crate) fn set_resume_point(connection: &Connection, point: Option<&str>) -> CoreResult<()> {
    match point {
        Some(point) => {
            if point.len() > 200 || !point.is_ascii() {
                return Err(CoreError::Validation {
                    field: "resumePoint",
                    reason: "is not a place in the app",
                });
            }
            connection.execute(
                "INSERT INTO workspace_state (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![RESUME_KEY, point],
            )?;
        }
        None => {
            connection.execute("DELETE FROM workspace_state WHERE key = ?1", [RESUME_KEY])?;
        }
    }
    Ok(())
}

pub(crate) fn resume_point(connection: &Connection) -> CoreResult<Option<String>> {
    Ok(connection
        .query_row(
            "SELECT value FROM workspace_state WHERE key = ?1",
            [RESUME_KEY],
            |row| row.get(0),
        )
        .optional()?)
}
