//! The sync wire format between the Kluis app and the central store (SPEC §5).
//!
//! Plain serde types, the protocol version, the limits both sides enforce and
//! the error body the server answers with. No I/O: the app (`kluis-sync`) and
//! the server (`kluis-server`) both depend on this crate, so the format is
//! defined once.
//!
//! - **Pull**: the device asks for the change feed after its cursor (a
//!   server-assigned sequence number) and gets changes in order, each a record
//!   or a tombstone, at most [`MAX_CHANGES_PER_PULL`] at a time.
//! - **Push**: the device sends operations from its outbox, each with an id it
//!   made itself (so a replay is harmless) and the version of the record it
//!   was based on (so the server can tell a conflict).
//! - **Audit**: the device uploads its NEN 7513 access log, append-only; the
//!   store checks every entry's hash and that the chain links on.
#![forbid(unsafe_code)]

pub mod audit;
pub mod enrollment;
pub mod managed;

/// What the exported macros name; not part of the API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "rusqlite")]
    pub use rusqlite;
}
mod encoding;
pub mod policy;
pub mod records;
pub mod wipe;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use audit::{AuditEntry, AuditUploadRequest, AuditUploadResponse};
pub use records::{
    AddendumRecord, ClientRecord, ConsultRecord, NoteRecord, Record, RecordKind, RecordRef,
};

/// The version of this wire format. A server answers a request of another
/// version with [`ErrorCode::UnsupportedVersion`].
pub const PROTOCOL_VERSION: u32 = 2;

/// The largest request or response body either side accepts.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Operations in one push.
pub const MAX_OPERATIONS_PER_PUSH: usize = 500;
/// Changes in one pull response.
pub const MAX_CHANGES_PER_PULL: u32 = 1_000;
/// Access-log entries in one upload.
pub const MAX_AUDIT_ENTRIES_PER_UPLOAD: usize = 1_000;
/// Characters in one text field of a record (a note section, an addendum).
pub const MAX_TEXT_CHARS: usize = 50_000;
/// Characters in a short field (a name, an id, a code).
pub const MAX_SHORT_CHARS: usize = 500;
/// Characters in all of a note's sections together: ten sections of
/// [`MAX_TEXT_CHARS`] would make one record of up to 2 MB.
pub const MAX_NOTE_CHARS: usize = 100_000;
/// Bytes of records in one pull page: a page stops early when the next record
/// would pass this, but always holds at least one record, so a page stays well
/// under [`MAX_BODY_BYTES`] even when every record is as large as allowed.
pub const MAX_PULL_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// `GET /v1/info`: what the device checks before it sends any health data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerInfo {
    pub protocol_version: u32,
    /// Where the store keeps its data, e.g. `nl` or `de`: an ISO 3166-1
    /// alpha-2 country code. The device refuses to sync when it is not in
    /// its policy's allowed list (SPEC §4, residency).
    pub region: String,
}

/// `GET /v1/whoami`: how the store knows this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceIdentity {
    pub device_id: String,
    pub practitioner_id: String,
    pub practitioner_name: String,
    pub role: String,
    /// The store asks the device to erase its local cache (remote wipe).
    pub wipe_requested: bool,
}

/// The EEA: the EU's 27 member states, Iceland, Liechtenstein and Norway
/// (ISO 3166-1 alpha-2). Health data stays in these unless policy narrows it.
pub const EEA_REGIONS: &[&str] = &[
    "at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "ie", "it", "lv",
    "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se", "is", "li", "no",
];

/// The header in which a device states the hash of its effective managed
/// policy on every request (see `kluis_core::policy`), so the store can show
/// IT which devices run another policy.
pub const POLICY_HASH_HEADER: &str = "kluis-policy-hash";

/// `POST /v1/pull`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    pub protocol_version: u32,
    /// The last sequence number the device has applied; 0 at the first sync.
    pub cursor: u64,
    /// At most this many changes (capped at [`MAX_CHANGES_PER_PULL`]).
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    pub protocol_version: u32,
    pub changes: Vec<Change>,
    /// The cursor to send next time: the last change's sequence number.
    pub cursor: u64,
    /// More changes are waiting after this batch.
    pub more: bool,
    /// How many changes are waiting after this batch, counted when the page
    /// was read: what a first sync's progress bar shows.
    pub remaining: u64,
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub seq: u64,
    pub version: u64,
    pub payload: ChangePayload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ChangePayload {
    /// The record as it is now.
    Record { record: Box<Record> },
    /// The record was deleted or erased: only its kind and id travel.
    Tombstone { target: RecordRef },
}

/// `POST /v1/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub protocol_version: u32,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Made by the device when the change was written to its outbox; the
    /// store applies an operation id once, however often it arrives.
    pub op_id: Uuid,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Create or change a record. `base_version` is the version the device
    /// changed (`None` for a record it created).
    Upsert {
        record: Box<Record>,
        base_version: Option<u64>,
    },
    /// Delete a record (a draft, a planned consult).
    Delete {
        target: RecordRef,
        base_version: u64,
    },
    /// Erase a client and everything of their record (AVG art. 17): the
    /// store replaces each record with a tombstone without content, and
    /// every device that held it erases it at its next pull. No base
    /// version: an erasure wins over any edit.
    EraseClient {
        client_id: String,
        /// Why; a device that does not say asks on the client's behalf.
        #[serde(default)]
        reason: ErasureReason,
    },
}

/// Why a client was erased, kept with the store's record of the erasure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// The client asked for it (AVG art. 17).
    #[default]
    ClientRequest,
    /// The client withdrew their consent and asked for erasure.
    ConsentWithdrawn,
    /// The store's retention rule: only the store erases for this reason.
    Retention,
}

crate::wire_text!(ErasureReason {
    ClientRequest => "client_request",
    ConsentWithdrawn => "consent_withdrawn",
    Retention => "retention",
});

impl Action {
    /// The record the action is about (for an erasure: the client).
    pub fn target(&self) -> RecordRef {
        match self {
            Action::Upsert { record, .. } => record.reference(),
            Action::Delete { target, .. } => target.clone(),
            Action::EraseClient { client_id, .. } => RecordRef {
                kind: RecordKind::Client,
                id: client_id.clone(),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    pub protocol_version: u32,
    /// One result per operation, in the order sent.
    pub results: Vec<OperationResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationResult {
    pub op_id: Uuid,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    /// Applied now, as this version.
    Applied { version: u64 },
    /// This operation id was applied before; nothing changed.
    AlreadyApplied { version: u64 },
    /// The record changed on the store since `base_version`; the device
    /// resolves it (SPEC §5) with the current record from the next pull.
    Conflict { current_version: u64 },
    /// Refused for good (not allowed, invalid); the device must not resend.
    /// `rule` names the rule that refused it; `code` is its class.
    Rejected {
        code: ErrorCode,
        rule: Refusal,
        message: String,
    },
}

/// The rule behind a refused operation, a stable code per rule. A record the
/// caller may not know exists is refused as [`Refusal::NotFound`], the same
/// as one that does not exist, so a refusal never tells a device about a
/// client it is not assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Refusal {
    #[error("not found")]
    NotFound,
    #[error("only psychologists create and edit client records")]
    ClientsArePsychologistsWork,
    #[error("only psychologists plan consults")]
    ConsultsArePsychologistsWork,
    #[error("a consult is planned, changed and deleted by its own practitioner")]
    NotTheConsultsPractitioner,
    #[error("a note is written and deleted by its author")]
    NotTheNotesAuthor,
    #[error("an addendum is written by its author")]
    NotTheAddendumsAuthor,
    #[error("the author's role is not the practitioner's")]
    NotTheAuthorsRole,
    #[error("lifestyle experts write lifestyle check-ins and free notes only")]
    TemplateNotForRole,
    #[error("the note's consult is not one of the note's client")]
    ConsultOfAnotherClient,
    #[error("a signed note is never changed or deleted")]
    SignedNoteIsImmutable,
    #[error("an addendum is never changed or deleted")]
    AddendumIsImmutable,
    #[error("only a signed note takes addenda")]
    AddendumNeedsSignedNote,
    #[error("this role may not amend this note")]
    MayNotAmend,
    #[error("an empty note cannot be signed")]
    EmptyNoteSigned,
    #[error("the content hash does not match the signed content")]
    ContentHashMismatch,
    #[error("a client is erased through a privacy request, not deleted")]
    ClientsAreErasedNotDeleted,
    #[error("only a psychologist on the care team erases a client")]
    ErasureIsPsychologistsWork,
    #[error("this client was erased")]
    ClientErased,
    #[error(
        "the client's record is restricted and read-only; only lifting the restriction is taken"
    )]
    ClientRestricted,
    #[error("the privacy log of a client is append-only")]
    PrivacyLogIsAppendOnly,
}

impl Refusal {
    /// The class of the refusal, for a device that only tells "not allowed"
    /// from "not found" from "invalid".
    pub fn code(self) -> ErrorCode {
        match self {
            Refusal::NotFound => ErrorCode::NotFound,
            Refusal::EmptyNoteSigned | Refusal::ContentHashMismatch => ErrorCode::Invalid,
            _ => ErrorCode::Forbidden,
        }
    }
}

/// Stable error codes in the error body, for the app to translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    UnsupportedVersion,
    MalformedRequest,
    TooLarge,
    UnknownDevice,
    DeviceRevoked,
    /// A route other than enrollment reached without a device certificate.
    CertificateRequired,
    /// Enrollment: no such token (mistyped, or never made).
    TokenUnknown,
    /// Enrollment: the token was used before.
    TokenUsed,
    /// Enrollment: the token's time is up.
    TokenExpired,
    /// Enrollment: the token was made for another device.
    TokenForAnotherDevice,
    /// Enrollment: too many wrong tokens from this address; wait.
    TooManyAttempts,
    /// IT asked this device to erase itself: the store sends it nothing
    /// more (it may still push what it holds and its access log).
    WipeRequested,
    /// The device's cursor is from before tombstones the store no longer
    /// keeps: it must rebuild from the store (pull from the start, keep
    /// only what the store still holds) rather than pull on.
    RebuildRequired,
    Forbidden,
    NotFound,
    Invalid,
    Unavailable,
    Internal,
    Timeout,
}

/// The body of every 4xx and 5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// English, lower case, for logs and developers; the app shows its own
    /// words for the code.
    pub message: String,
}

/// A request that breaks the protocol's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    #[error("protocol version {found} is not supported (this side speaks {PROTOCOL_VERSION})")]
    UnsupportedVersion { found: u32 },
    #[error("too many {what}: {count} (at most {max})")]
    TooMany {
        what: &'static str,
        count: usize,
        max: usize,
    },
    #[error("{field} is too long")]
    TooLong { field: &'static str },
    #[error("{field} is invalid: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
}

impl ProtocolError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ProtocolError::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion,
            ProtocolError::TooMany { .. } | ProtocolError::TooLong { .. } => ErrorCode::TooLarge,
            ProtocolError::Invalid { .. } => ErrorCode::Invalid,
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

pub(crate) fn check_version(found: u32) -> Result<(), ProtocolError> {
    if found == PROTOCOL_VERSION {
        Ok(())
    } else {
        Err(ProtocolError::UnsupportedVersion { found })
    }
}

impl PullRequest {
    pub fn validate(&self) -> Result<(), ProtocolError> {
        check_version(self.protocol_version)?;
        // Sequence numbers are SQL BIGINTs; a cursor past them is no position.
        if i64::try_from(self.cursor).is_err() {
            return Err(ProtocolError::Invalid {
                field: "cursor",
                reason: "beyond any sequence number",
            });
        }
        if self.limit == 0 || self.limit > MAX_CHANGES_PER_PULL {
            return Err(ProtocolError::Invalid {
                field: "limit",
                reason: "must be 1 to 1000",
            });
        }
        Ok(())
    }
}

impl PushRequest {
    pub fn validate(&self) -> Result<(), ProtocolError> {
        check_version(self.protocol_version)?;
        if self.operations.len() > MAX_OPERATIONS_PER_PUSH {
            return Err(ProtocolError::TooMany {
                what: "operations",
                count: self.operations.len(),
                max: MAX_OPERATIONS_PER_PUSH,
            });
        }
        let mut seen = std::collections::HashSet::new();
        for operation in &self.operations {
            if !seen.insert(operation.op_id) {
                return Err(ProtocolError::Invalid {
                    field: "op_id",
                    reason: "appears twice in one push",
                });
            }
            match &operation.action {
                Action::Upsert { record, .. } => record.validate()?,
                Action::Delete { target, .. } => target.validate()?,
                Action::EraseClient { reason, .. } => {
                    if *reason == ErasureReason::Retention {
                        return Err(ProtocolError::Invalid {
                            field: "reason",
                            reason: "only the store erases for retention",
                        });
                    }
                    operation.action.target().validate()?
                }
            }
            let base_version = match &operation.action {
                Action::Upsert { base_version, .. } => *base_version,
                Action::Delete { base_version, .. } => Some(*base_version),
                Action::EraseClient { .. } => None,
            };
            if base_version.is_some_and(|version| i64::try_from(version).is_err()) {
                return Err(ProtocolError::Invalid {
                    field: "base_version",
                    reason: "beyond any version",
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
