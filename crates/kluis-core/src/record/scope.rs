//! Who is acting, from which device, on which open vault. Every repository of
//! the clinical record works within a scope, so every rule and every access-log
//! entry knows the practitioner and the device.

use rusqlite::{Connection, OptionalExtension, params};

use crate::audit::{self, AuditAction, AuditOutcome, RecordPart};
use crate::error::{CoreError, CoreResult};
use crate::record::practitioner::Practitioner;

#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub connection: &'a Connection,
    pub practitioner: &'a Practitioner,
    /// The device the vault lives on, as the store enrolled it; before the
    /// device has met its store (or on a vault without one) the vault id
    /// stands in for it.
    pub device_id: &'a str,
    /// The access-log chain this vault writes: the vault id, which never
    /// changes, whatever the device is later enrolled as.
    pub chain_id: &'a str,
}

/// What an access-log entry is about: a part of the record, optionally of one
/// client and one record.
#[derive(Debug, Clone, Copy)]
pub struct Target<'t> {
    pub part: RecordPart,
    pub client_id: Option<&'t str>,
    pub record_id: Option<&'t str>,
}

impl<'t> Target<'t> {
    pub fn new(part: RecordPart) -> Self {
        Self {
            part,
            client_id: None,
            record_id: None,
        }
    }

    pub fn client(mut self, client_id: &'t str) -> Self {
        self.client_id = Some(client_id);
        self
    }

    pub fn record(mut self, record_id: &'t str) -> Self {
        self.record_id = Some(record_id);
        self
    }
}

impl<'a> Scope<'a> {
    pub fn new(
        connection: &'a Connection,
        practitioner: &'a Practitioner,
        device_id: &'a str,
    ) -> Self {
        Self {
            connection,
            practitioner,
            device_id,
            chain_id: device_id,
        }
    }

    /// The same scope writing to the chain `chain_id`.
    pub fn on_chain(mut self, chain_id: &'a str) -> Self {
        self.chain_id = chain_id;
        self
    }

    /// Writes a successful access-log entry.
    pub fn log(&self, action: AuditAction, target: Target<'_>) -> CoreResult<()> {
        audit::append(self, action, target, AuditOutcome::Success)
    }

    /// Refuses an action unless `allowed`; a refusal is logged as denied
    /// before the error is returned, so attempts show in the access log too.
    pub fn authorize(
        &self,
        allowed: bool,
        action: AuditAction,
        target: Target<'_>,
        reason: &'static str,
    ) -> CoreResult<()> {
        if allowed {
            return Ok(());
        }
        self.refuse(action, target, CoreError::PermissionDenied(reason))
    }

    /// Logs the attempt as denied, then fails with `error`.
    pub fn refuse<T>(
        &self,
        action: AuditAction,
        target: Target<'_>,
        error: CoreError,
    ) -> CoreResult<T> {
        audit::append(self, action, target, AuditOutcome::Denied)?;
        Err(error)
    }

    pub fn is_assigned(&self, client_id: &str) -> CoreResult<bool> {
        Ok(self
            .connection
            .prepare_cached(
                "SELECT 1 FROM client_assignment WHERE client_id = ?1 AND practitioner_id = ?2",
            )?
            .query_row(params![client_id, self.practitioner.id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// A restricted client's record is read-only (AVG art. 18): nothing may
    /// be written to it but the lifting of the restriction. An attempt is
    /// logged as denied.
    pub fn require_unrestricted(
        &self,
        client_id: &str,
        action: AuditAction,
        part: RecordPart,
    ) -> CoreResult<()> {
        let restricted: bool = self
            .connection
            .prepare_cached("SELECT restricted FROM client WHERE id = ?1")?
            .query_row([client_id], |row| row.get(0))
            .optional()?
            .unwrap_or(false);
        if !restricted {
            return Ok(());
        }
        self.refuse(
            action,
            Target::new(part).client(client_id),
            CoreError::Restricted,
        )
    }

    /// The client must be assigned to this practitioner. An unassigned client is
    /// reported as not found, so its existence is not revealed, and the attempt
    /// is logged as denied.
    pub fn require_assigned(
        &self,
        client_id: &str,
        action: AuditAction,
        part: RecordPart,
    ) -> CoreResult<()> {
        if self.is_assigned(client_id)? {
            return Ok(());
        }
        self.refuse(
            action,
            Target::new(part).client(client_id),
            CoreError::NotFound("client"),
        )
    }
}

pub(crate) fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
