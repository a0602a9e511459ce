//! What the store keeps, behind one trait so that the embedded SQLite back end
//! and PostgreSQL run the same scenario.

use serde::Serialize;

use crate::error::ServerResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Psychologist,
    LifestyleExpert,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Psychologist => "psychologist",
            Role::LifestyleExpert => "lifestyle_expert",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "psychologist" => Some(Role::Psychologist),
            "lifestyle_expert" => Some(Role::LifestyleExpert),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Practitioner {
    pub id: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub id: String,
    pub practitioner_id: String,
    pub cert_fingerprint: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub wipe_requested: bool,
}

/// A device as the store sees it on a connection: the device and whom it
/// acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub device: Device,
    pub practitioner: Practitioner,
}

/// The store's storage. Every method is one transaction.
pub trait Store: Send + Sync + 'static {
    fn add_practitioner(&self, practitioner: &Practitioner) -> ServerResult<()>;
    fn add_device(&self, device: &Device) -> ServerResult<()>;
    fn caller_by_fingerprint(&self, fingerprint: &str) -> ServerResult<Option<Caller>>;
    fn list_devices(&self) -> ServerResult<Vec<Device>>;
    /// Marks a device revoked; `false` when there is no such device.
    fn revoke_device(&self, device_id: &str) -> ServerResult<bool>;
    fn assign(&self, client_id: &str, practitioner_id: &str) -> ServerResult<()>;
    fn is_assigned(&self, client_id: &str, practitioner_id: &str) -> ServerResult<bool>;
}
