//! The records that travel: what a client, a consult, a note and an addendum
//! are on the wire. Enumerations are closed sets; unknown fields are refused.

use serde::{Deserialize, Serialize};

use crate::{MAX_SHORT_CHARS, MAX_TEXT_CHARS, ProtocolError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Client,
    Consult,
    Note,
    Addendum,
}

/// Which record a tombstone or a delete is about: no content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: String,
}

impl RecordRef {
    pub fn validate(&self) -> Result<(), ProtocolError> {
        check_id("id", &self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record_kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    Client(ClientRecord),
    Consult(ConsultRecord),
    Note(NoteRecord),
    Addendum(AddendumRecord),
}

impl Record {
    pub fn reference(&self) -> RecordRef {
        let (kind, id) = match self {
            Record::Client(record) => (RecordKind::Client, &record.id),
            Record::Consult(record) => (RecordKind::Consult, &record.id),
            Record::Note(record) => (RecordKind::Note, &record.id),
            Record::Addendum(record) => (RecordKind::Addendum, &record.id),
        };
        RecordRef {
            kind,
            id: id.clone(),
        }
    }

    pub fn validate(&self) -> Result<(), ProtocolError> {
        match self {
            Record::Client(record) => record.validate(),
            Record::Consult(record) => record.validate(),
            Record::Note(record) => record.validate(),
            Record::Addendum(record) => record.validate(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientRecord {
    pub id: String,
    pub client_code: String,
    pub first_name: String,
    pub last_name: Option<String>,
    pub email: String,
    pub birth_year: u16,
    pub phone: String,
    pub employer: Option<String>,
    pub care_start: String,
    pub care_end: Option<String>,
    pub remarks: String,
    pub health_data_consent_date: String,
    pub employer_reporting_opt_in: bool,
    pub employer_reporting_date: Option<String>,
    pub restricted: bool,
}

impl ClientRecord {
    fn validate(&self) -> Result<(), ProtocolError> {
        check_id("id", &self.id)?;
        for (field, value) in [
            ("client_code", Some(&self.client_code)),
            ("first_name", Some(&self.first_name)),
            ("last_name", self.last_name.as_ref()),
            ("email", Some(&self.email)),
            ("phone", Some(&self.phone)),
            ("employer", self.employer.as_ref()),
            ("care_start", Some(&self.care_start)),
            ("care_end", self.care_end.as_ref()),
            (
                "health_data_consent_date",
                Some(&self.health_data_consent_date),
            ),
            (
                "employer_reporting_date",
                self.employer_reporting_date.as_ref(),
            ),
        ] {
            if let Some(value) = value {
                check_short(field, value)?;
            }
        }
        check_text("remarks", &self.remarks)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultKind {
    Video,
    Phone,
    GroupSession,
    SelfCheckIn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultStatus {
    Planned,
    Completed,
    Cancelled,
    NoShow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsultRecord {
    pub id: String,
    pub client_ids: Vec<String>,
    pub practitioner_id: String,
    pub kind: ConsultKind,
    /// UTC, RFC 3339.
    pub starts_at: String,
    pub duration_minutes: u16,
    pub status: ConsultStatus,
    pub series_id: Option<String>,
    pub link: Option<String>,
}

impl ConsultRecord {
    fn validate(&self) -> Result<(), ProtocolError> {
        check_id("id", &self.id)?;
        check_id("practitioner_id", &self.practitioner_id)?;
        if self.client_ids.is_empty() || self.client_ids.len() > 20 {
            return Err(ProtocolError::Invalid {
                field: "client_ids",
                reason: "one to twenty clients",
            });
        }
        for id in &self.client_ids {
            check_id("client_ids", id)?;
        }
        check_short("starts_at", &self.starts_at)?;
        if let Some(series) = &self.series_id {
            check_id("series_id", series)?;
        }
        if let Some(link) = &self.link {
            check_short("link", link)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteTemplate {
    Free,
    Soap,
    Dap,
    LifestyleCheckIn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    CareTeam,
    Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteStatus {
    Draft,
    Signed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Psychologist,
    LifestyleExpert,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteSection {
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteRecord {
    pub id: String,
    pub client_id: String,
    pub consult_id: Option<String>,
    pub author_id: String,
    pub author_name: String,
    pub author_role: Role,
    pub template: NoteTemplate,
    pub visibility: Visibility,
    pub status: NoteStatus,
    pub sections: Vec<NoteSection>,
    pub created_at: String,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    pub content_hash: Option<String>,
}

impl NoteRecord {
    fn validate(&self) -> Result<(), ProtocolError> {
        check_id("id", &self.id)?;
        check_id("client_id", &self.client_id)?;
        check_id("author_id", &self.author_id)?;
        if let Some(consult) = &self.consult_id {
            check_id("consult_id", consult)?;
        }
        check_short("author_name", &self.author_name)?;
        if self.sections.len() > 10 {
            return Err(ProtocolError::Invalid {
                field: "sections",
                reason: "at most ten sections",
            });
        }
        for section in &self.sections {
            check_short("sections.key", &section.key)?;
            check_text("sections.text", &section.text)?;
        }
        let signed_fields = [&self.signed_at, &self.signed_by, &self.content_hash];
        let signed = self.status == NoteStatus::Signed;
        if signed_fields.iter().any(|field| field.is_some() != signed) {
            return Err(ProtocolError::Invalid {
                field: "status",
                reason: "a signed note has signed_at, signed_by and content_hash, a draft none",
            });
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddendumRecord {
    pub id: String,
    pub note_id: String,
    pub author_id: String,
    pub author_name: String,
    pub reason: String,
    pub text: String,
    pub created_at: String,
}

impl AddendumRecord {
    fn validate(&self) -> Result<(), ProtocolError> {
        check_id("id", &self.id)?;
        check_id("note_id", &self.note_id)?;
        check_id("author_id", &self.author_id)?;
        check_short("author_name", &self.author_name)?;
        check_short("reason", &self.reason)?;
        check_text("text", &self.text)
    }
}

/// Ids are UUIDs or similar tokens: printable ASCII, no spaces, 1 to 64.
pub(crate) fn check_id(field: &'static str, id: &str) -> Result<(), ProtocolError> {
    if !id.is_empty() && id.len() <= 64 && id.bytes().all(|byte| byte.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(ProtocolError::Invalid {
            field,
            reason: "must be 1 to 64 printable characters",
        })
    }
}

pub(crate) fn check_short(field: &'static str, value: &str) -> Result<(), ProtocolError> {
    if value.chars().count() <= MAX_SHORT_CHARS {
        Ok(())
    } else {
        Err(ProtocolError::TooLong { field })
    }
}

fn check_text(field: &'static str, value: &str) -> Result<(), ProtocolError> {
    if value.chars().count() <= MAX_TEXT_CHARS {
        Ok(())
    } else {
        Err(ProtocolError::TooLong { field })
    }
}
