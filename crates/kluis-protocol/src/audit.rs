//! The NEN 7513 access log as it travels from a device to the store.
//!
//! Each vault keeps its log as a hash chain (see `kluis_core::audit`): an
//! entry's hash covers the previous entry's hash and every field. The hash is
//! defined here, once, so that the vault that writes an entry and the store
//! that receives it compute it alike, and the store can refuse an entry that
//! was altered or that does not link to the chain it already holds.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::encoding::FieldHasher;
use crate::records::{check_id, check_short};
use crate::{MAX_AUDIT_ENTRIES_PER_UPLOAD, ProtocolError};

/// The encoding of an entry's hash that new entries use (see
/// [`AuditEntry::expected_hash`]).
pub const AUDIT_HASH_VERSION: u32 = 2;

fn first_hash_version() -> u32 {
    1
}

/// The hash that stands before a chain's first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One access-log entry with its place in the chain. Enumerations travel as
/// their text (`read`, `success`, …): the store keeps what the device logged
/// and does not interpret it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    /// The chain this entry belongs to: the vault that logged it.
    pub chain_id: String,
    /// Position in the chain, from 1.
    pub seq: u64,
    pub id: String,
    /// UTC, to the second.
    pub occurred_at: String,
    pub actor_id: String,
    pub actor_name: String,
    pub actor_role: String,
    pub on_behalf_of: Option<String>,
    pub action: String,
    pub client_id: Option<String>,
    pub record_part: String,
    pub record_id: Option<String>,
    pub outcome: String,
    pub prev_hash: String,
    pub hash: String,
    /// How `hash` encodes the entry: 1 for entries written before the
    /// encoding was versioned (and when the field is absent), 2 since.
    #[serde(default = "first_hash_version")]
    pub hash_version: u32,
}

impl AuditEntry {
    /// The hash this entry must carry, in the encoding its `hash_version`
    /// names. Version 2 length-prefixes every field (see `encoding`);
    /// version 1 ended each field with a unit separator and wrote an absent
    /// value as NUL, which is unambiguous only while no field holds those
    /// characters. The protocol now refuses control characters in every
    /// field, and version 1 stays so that chains written before still verify.
    pub fn expected_hash(&self) -> String {
        match self.hash_version {
            1 => self.first_version_hash(),
            _ => {
                let mut hasher = FieldHasher::new("kluis-audit-v2");
                hasher
                    .text(&self.prev_hash)
                    .number(self.seq)
                    .text(&self.id)
                    .text(&self.occurred_at)
                    .text(&self.actor_id)
                    .text(&self.actor_name)
                    .text(&self.actor_role)
                    .text(&self.chain_id)
                    .optional(self.on_behalf_of.as_deref())
                    .text(&self.action)
                    .optional(self.client_id.as_deref())
                    .text(&self.record_part)
                    .optional(self.record_id.as_deref())
                    .text(&self.outcome);
                hasher.finish()
            }
        }
    }

    fn first_version_hash(&self) -> String {
        let seq = self.seq.to_string();
        let fields = [
            self.prev_hash.as_str(),
            &seq,
            &self.id,
            &self.occurred_at,
            &self.actor_id,
            &self.actor_name,
            &self.actor_role,
            &self.chain_id,
            self.on_behalf_of.as_deref().unwrap_or("\u{0}"),
            &self.action,
            self.client_id.as_deref().unwrap_or("\u{0}"),
            &self.record_part,
            self.record_id.as_deref().unwrap_or("\u{0}"),
            &self.outcome,
        ];
        let mut hasher = Sha256::new();
        for field in fields {
            hasher.update(field.as_bytes());
            hasher.update([0x1f]);
        }
        hex::encode(hasher.finalize())
    }

    fn validate(&self) -> Result<(), ProtocolError> {
        check_id("chain_id", &self.chain_id)?;
        check_id("id", &self.id)?;
        check_id("actor_id", &self.actor_id)?;
        for (field, value) in [
            ("occurred_at", self.occurred_at.as_str()),
            ("actor_name", &self.actor_name),
            ("actor_role", &self.actor_role),
            ("action", &self.action),
            ("record_part", &self.record_part),
            ("outcome", &self.outcome),
        ] {
            check_short(field, value)?;
        }
        for (field, value) in [
            ("on_behalf_of", &self.on_behalf_of),
            ("client_id", &self.client_id),
            ("record_id", &self.record_id),
        ] {
            if let Some(value) = value {
                check_short(field, value)?;
            }
        }
        if self.seq == 0 {
            return Err(ProtocolError::Invalid {
                field: "seq",
                reason: "starts at 1",
            });
        }
        if !(1..=AUDIT_HASH_VERSION).contains(&self.hash_version) {
            return Err(ProtocolError::Invalid {
                field: "hash_version",
                reason: "is not a known encoding",
            });
        }
        if self.hash != self.expected_hash() {
            return Err(ProtocolError::Invalid {
                field: "hash",
                reason: "does not match the entry",
            });
        }
        Ok(())
    }
}

/// `POST /v1/audit`: entries of one chain, in order, each linking to the one
/// before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditUploadRequest {
    pub protocol_version: u32,
    pub entries: Vec<AuditEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditUploadResponse {
    pub protocol_version: u32,
    /// The store holds the chain up to and including this seq.
    pub stored_through: u64,
}

impl AuditUploadRequest {
    /// Checks what can be checked without the store: the version, the count,
    /// each entry's own hash, one chain, consecutive and linked.
    pub fn validate(&self) -> Result<(), ProtocolError> {
        crate::check_version(self.protocol_version)?;
        if self.entries.len() > MAX_AUDIT_ENTRIES_PER_UPLOAD {
            return Err(ProtocolError::TooMany {
                what: "audit entries",
                count: self.entries.len(),
                max: MAX_AUDIT_ENTRIES_PER_UPLOAD,
            });
        }
        for entry in &self.entries {
            entry.validate()?;
        }
        for pair in self.entries.windows(2) {
            if pair[1].chain_id != pair[0].chain_id {
                return Err(ProtocolError::Invalid {
                    field: "chain_id",
                    reason: "one upload holds one chain",
                });
            }
            if pair[1].seq != pair[0].seq + 1 || pair[1].prev_hash != pair[0].hash {
                return Err(ProtocolError::Invalid {
                    field: "prev_hash",
                    reason: "the entries do not link",
                });
            }
        }
        Ok(())
    }
}
