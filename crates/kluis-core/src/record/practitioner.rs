//! The practitioner who owns this vault and what their role allows.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{CoreError, CoreResult};

/// A practitioner's role: the protocol's, one vocabulary for the vault, the
/// wire and the store.
pub use kluis_protocol::records::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practitioner {
    pub id: String,
    pub display_name: String,
    pub role: Role,
}

impl Practitioner {
    pub fn new(display_name: &str, role: Role) -> CoreResult<Self> {
        Self::with_id(&uuid::Uuid::new_v4().to_string(), display_name, role)
    }

    /// A practitioner the central store already knows by `id` (enrollment,
    /// the demo profile).
    pub fn with_id(id: &str, display_name: &str, role: Role) -> CoreResult<Self> {
        let id = id.trim();
        if id.is_empty() || id.len() > 64 || !id.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(CoreError::Validation {
                field: "practitionerId",
                reason: "must be 1 to 64 printable characters",
            });
        }
        let display_name = display_name.trim();
        if display_name.is_empty() || display_name.chars().count() > 100 {
            return Err(CoreError::Validation {
                field: "practitionerName",
                reason: "must be 1 to 100 characters",
            });
        }
        Ok(Self {
            id: id.to_owned(),
            display_name: display_name.to_owned(),
            role,
        })
    }

    pub fn save(&self, connection: &Connection) -> CoreResult<()> {
        connection.execute(
            "INSERT INTO practitioner (id, display_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                self.id,
                self.display_name,
                self.role,
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        Ok(())
    }

    /// The vault's owner: the first practitioner row.
    pub fn load_owner(connection: &Connection) -> CoreResult<Self> {
        connection
            .query_row(
                "SELECT id, display_name, role FROM practitioner ORDER BY created_at LIMIT 1",
                [],
                |row| {
                    Ok(Self {
                        id: row.get(0)?,
                        display_name: row.get(1)?,
                        role: row.get(2)?,
                    })
                },
            )
            .optional()?
            .ok_or(CoreError::NotFound("practitioner"))
    }
}
