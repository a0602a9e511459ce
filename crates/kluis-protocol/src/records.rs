//! The records that travel: what a client, a consult, a note and an addendum
//! are on the wire. Enumerations are closed sets; unknown fields are refused.

use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use crate::encoding::FieldHasher;
use crate::{MAX_NOTE_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS, ProtocolError};

/// Gives a fieldless enum its wire text: `as_str`, `parse`, and with the
/// `rusqlite` feature `ToSql`/`FromSql`, so the vault stores the same text
/// the wire carries. Unknown text in a database is a storage error, never a
/// panic. The core uses it too, for the vault's own enumerations (the access
/// log's actions and parts, the outbox's actions), so there is one way to
/// give an enumeration its text.
#[macro_export]
macro_rules! wire_text {
    ($type:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $type {
            /// The wire name, as serde writes it.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// The value its wire name names, or `None`.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }

        $crate::__stored_as_wire_text!($type);
    };
}

/// The `rusqlite` half of [`wire_text!`]: chosen when this crate is built,
/// so a crate that uses the macro need not have a feature of its own.
#[cfg(feature = "rusqlite")]
#[doc(hidden)]
#[macro_export]
macro_rules! __stored_as_wire_text {
    ($type:ty) => {
        impl $crate::__private::rusqlite::types::ToSql for $type {
            fn to_sql(
                &self,
            ) -> $crate::__private::rusqlite::Result<
                $crate::__private::rusqlite::types::ToSqlOutput<'_>,
            > {
                Ok($crate::__private::rusqlite::types::ToSqlOutput::from(
                    self.as_str(),
                ))
            }
        }

        impl $crate::__private::rusqlite::types::FromSql for $type {
            fn column_result(
                value: $crate::__private::rusqlite::types::ValueRef<'_>,
            ) -> $crate::__private::rusqlite::types::FromSqlResult<Self> {
                Self::parse(value.as_str()?)
                    .ok_or($crate::__private::rusqlite::types::FromSqlError::InvalidType)
            }
        }
    };
}

#[cfg(not(feature = "rusqlite"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __stored_as_wire_text {
    ($type:ty) => {};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Client,
    Consult,
    Note,
    Addendum,
}

wire_text!(RecordKind {
    Client => "client",
    Consult => "consult",
    Note => "note",
    Addendum => "addendum",
});

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
    /// The day the client withdrew consent to process health data; a
    /// withdrawn consent restricts the record (AVG art. 7(3), 18).
    #[serde(default)]
    pub health_data_consent_withdrawn: Option<String>,
    /// Every privacy decision about the client, oldest first: consents given
    /// and withdrawn, restriction and its lifting, a refused erasure with
    /// its reason. Append-only: the store refuses a shorter or rewritten log.
    #[serde(default)]
    pub privacy_log: Vec<PrivacyEvent>,
}

/// What a privacy decision was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PrivacyEventKind {
    HealthDataConsentGiven,
    HealthDataConsentWithdrawn,
    EmployerReportingOptedIn,
    EmployerReportingWithdrawn,
    Restricted,
    RestrictionLifted,
    /// A request for erasure that the practitioner refused (the statement
    /// allows it, e.g. for a legal duty to keep the record), with the reason.
    ErasureRefused,
}

wire_text!(PrivacyEventKind {
    HealthDataConsentGiven => "health_data_consent_given",
    HealthDataConsentWithdrawn => "health_data_consent_withdrawn",
    EmployerReportingOptedIn => "employer_reporting_opted_in",
    EmployerReportingWithdrawn => "employer_reporting_withdrawn",
    Restricted => "restricted",
    RestrictionLifted => "restriction_lifted",
    ErasureRefused => "erasure_refused",
});

/// One entry of a client's privacy log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct PrivacyEvent {
    /// The day it took effect (YYYY-MM-DD).
    pub on: String,
    pub kind: PrivacyEventKind,
    /// Who recorded it (the practitioner's name).
    pub by: String,
    /// Why: required for a refused erasure, absent otherwise.
    pub reason: Option<String>,
}

/// A client's privacy log holds at most this many entries.
pub const MAX_PRIVACY_EVENTS: usize = 500;

impl ClientRecord {
    fn validate(&self) -> Result<(), ProtocolError> {
        check_id("id", &self.id)?;
        if let Some(withdrawn) = &self.health_data_consent_withdrawn {
            check_short("health_data_consent_withdrawn", withdrawn)?;
            if !self.restricted {
                return Err(ProtocolError::Invalid {
                    field: "restricted",
                    reason: "a withdrawn health-data consent restricts the record",
                });
            }
        }
        if self.privacy_log.len() > MAX_PRIVACY_EVENTS {
            return Err(ProtocolError::TooLong {
                field: "privacy_log",
            });
        }
        for event in &self.privacy_log {
            if chrono::NaiveDate::parse_from_str(&event.on, "%Y-%m-%d").is_err() {
                return Err(ProtocolError::Invalid {
                    field: "privacy_log.on",
                    reason: "a day, YYYY-MM-DD",
                });
            }
            check_short("privacy_log.by", &event.by)?;
            if let Some(reason) = &event.reason {
                check_text("privacy_log.reason", reason)?;
            }
            if event.reason.is_some() != (event.kind == PrivacyEventKind::ErasureRefused) {
                return Err(ProtocolError::Invalid {
                    field: "privacy_log.reason",
                    reason: "a refused erasure has a reason, nothing else does",
                });
            }
        }
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
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConsultKind {
    Video,
    Phone,
    /// An OpenUp Space group session: several clients.
    GroupSession,
    SelfCheckIn,
}

wire_text!(ConsultKind {
    Video => "video",
    Phone => "phone",
    GroupSession => "group_session",
    SelfCheckIn => "self_check_in",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ConsultStatus {
    Planned,
    Completed,
    Cancelled,
    NoShow,
}

wire_text!(ConsultStatus {
    Planned => "planned",
    Completed => "completed",
    Cancelled => "cancelled",
    NoShow => "no_show",
});

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
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NoteTemplate {
    Free,
    Soap,
    Dap,
    LifestyleCheckIn,
}

wire_text!(NoteTemplate {
    Free => "free",
    Soap => "soap",
    Dap => "dap",
    LifestyleCheckIn => "lifestyle_check_in",
});

impl NoteTemplate {
    /// The structured sections of the template, in order. The UI shows their
    /// titles in the user's language.
    pub fn section_keys(self) -> &'static [&'static str] {
        match self {
            NoteTemplate::Free => &["text"],
            NoteTemplate::Soap => &["subjective", "objective", "assessment", "plan"],
            NoteTemplate::Dap => &["data", "assessment", "plan"],
            NoteTemplate::LifestyleCheckIn => &[
                "sleep",
                "movement",
                "nutrition",
                "stress",
                "agreements",
                WHO5_ITEMS[0],
                WHO5_ITEMS[1],
                WHO5_ITEMS[2],
                WHO5_ITEMS[3],
                WHO5_ITEMS[4],
            ],
        }
    }
}

/// The WHO-5 wellbeing index (WHO, 1998) in the lifestyle check-in: five
/// statements about the last two weeks, each answered 0 (at no time) to 5
/// (all of the time). Each answer is a section of its own whose text is the
/// digit, or empty while it is not asked. The score is the sum times four,
/// 0 to 100; it is what employer reports measure change with.
pub const WHO5_ITEMS: [&str; 5] = [
    "who5_cheerful",
    "who5_calm",
    "who5_active",
    "who5_rested",
    "who5_interest",
];

/// Whether a section key is one of the WHO-5 answers.
pub fn is_who5_item(key: &str) -> bool {
    WHO5_ITEMS.contains(&key)
}

/// Checks a note's WHO-5 answers: each is empty or one digit 0 to 5, and
/// with `complete` (a signed note) they are all answered or none is, so a
/// score is never made from part of the index.
pub fn check_who5<'a>(
    sections: impl IntoIterator<Item = (&'a str, &'a str)>,
    complete: bool,
) -> Result<(), &'static str> {
    let mut answered = 0;
    let mut asked = 0;
    for (key, text) in sections {
        if !is_who5_item(key) {
            continue;
        }
        asked += 1;
        match text {
            "" => {}
            "0" | "1" | "2" | "3" | "4" | "5" => answered += 1,
            _ => return Err("a WHO-5 answer is a whole number from 0 to 5"),
        }
    }
    if complete && answered != 0 && answered != asked {
        return Err("answer all five WHO-5 items or none");
    }
    Ok(())
}

/// The WHO-5 score (0 to 100) when all five items are answered with a digit
/// 0 to 5; `None` when the index was not (fully) taken.
pub fn who5_score<'a>(sections: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<u8> {
    let mut answers = [None; 5];
    for (key, text) in sections {
        if let Some(index) = WHO5_ITEMS.iter().position(|item| *item == key) {
            answers[index] = match text {
                "0" | "1" | "2" | "3" | "4" | "5" => text.parse::<u8>().ok(),
                _ => None,
            };
        }
    }
    let mut sum = 0u8;
    for answer in answers {
        sum += answer?;
    }
    Some(sum * 4)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Every practitioner assigned to the client, by the role rules.
    CareTeam,
    /// Personal work notes: the author only.
    Private,
}

wire_text!(Visibility {
    CareTeam => "care_team",
    Private => "private",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NoteStatus {
    Draft,
    Signed,
}

wire_text!(NoteStatus {
    Draft => "draft",
    Signed => "signed",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Psychologist,
    LifestyleExpert,
}

wire_text!(Role {
    Psychologist => "psychologist",
    LifestyleExpert => "lifestyle_expert",
});

impl Role {
    /// Client records (profile, consents) are kept by psychologists; lifestyle
    /// experts read the records of the clients assigned to them.
    pub fn may_edit_client_records(self) -> bool {
        matches!(self, Role::Psychologist)
    }
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
        let mut note_chars = 0;
        for section in &self.sections {
            check_short("sections.key", &section.key)?;
            check_text("sections.text", &section.text)?;
            note_chars += section.text.chars().count();
        }
        if note_chars > MAX_NOTE_CHARS {
            return Err(ProtocolError::TooLong { field: "sections" });
        }
        let signed = self.status == NoteStatus::Signed;
        check_who5(
            self.sections
                .iter()
                .map(|section| (section.key.as_str(), section.text.as_str())),
            signed,
        )
        .map_err(|reason| ProtocolError::Invalid {
            field: "sections",
            reason,
        })?;
        let signed_fields = [&self.signed_at, &self.signed_by, &self.content_hash];
        if signed_fields.iter().any(|field| field.is_some() != signed) {
            return Err(ProtocolError::Invalid {
                field: "status",
                reason: "a signed note has signed_at, signed_by and content_hash, a draft none",
            });
        }
        Ok(())
    }
}

impl NoteRecord {
    /// What this note's signature covers.
    pub fn signed_content(&self) -> SignedContent<'_> {
        SignedContent {
            id: &self.id,
            client_id: &self.client_id,
            consult_id: self.consult_id.as_deref(),
            author_id: &self.author_id,
            template: self.template,
            visibility: self.visibility,
            sections: self
                .sections
                .iter()
                .map(|section| (section.key.as_str(), section.text.as_str()))
                .collect(),
        }
    }
}

/// The part of a note that signing fixes: which note, whose, where it belongs
/// and its words. Who signed and when are not in it: the store writes those
/// itself from the certificate and its clock, so the hash a device sends can
/// be checked against the content alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedContent<'a> {
    pub id: &'a str,
    pub client_id: &'a str,
    pub consult_id: Option<&'a str>,
    pub author_id: &'a str,
    pub template: NoteTemplate,
    pub visibility: Visibility,
    /// Each section as key and text, in the note's order.
    pub sections: Vec<(&'a str, &'a str)>,
}

/// Marks the encoding of [`SignedContent::hash`]; a later encoding gets a new
/// tag, so a hash never means two things.
const SIGNED_CONTENT_TAG: &str = "kluis-signed-note-v2";

impl SignedContent<'_> {
    /// SHA-256 (hex) over the tagged content, every field length-prefixed, so
    /// that no two different notes encode alike whatever characters they hold.
    pub fn hash(&self) -> String {
        let mut hasher = FieldHasher::new(SIGNED_CONTENT_TAG);
        hasher
            .text(self.id)
            .text(self.client_id)
            .optional(self.consult_id)
            .text(self.author_id)
            .text(self.template.as_str())
            .text(self.visibility.as_str())
            .count(self.sections.len());
        for (key, text) in &self.sections {
            hasher.text(key).text(text);
        }
        hasher.finish()
    }

    /// The first encoding, which vaults used before the store wrote the
    /// signer and time itself: JSON of the content with the signing time and
    /// signer the device chose. Notes signed then still carry it; the store
    /// accepts it for them and keeps the current hash instead.
    pub fn legacy_hash(&self, signed_at: &str, signed_by: &str) -> String {
        #[derive(Serialize)]
        struct Section<'a> {
            key: &'a str,
            text: &'a str,
        }
        #[derive(Serialize)]
        struct Legacy<'a> {
            id: &'a str,
            client_id: &'a str,
            consult_id: Option<&'a str>,
            author_id: &'a str,
            template: &'a str,
            visibility: &'a str,
            sections: Vec<Section<'a>>,
            signed_at: &'a str,
            signed_by: &'a str,
        }
        let legacy = Legacy {
            id: self.id,
            client_id: self.client_id,
            consult_id: self.consult_id,
            author_id: self.author_id,
            template: self.template.as_str(),
            visibility: self.visibility.as_str(),
            sections: self
                .sections
                .iter()
                .map(|(key, text)| Section { key, text })
                .collect(),
            signed_at,
            signed_by,
        };
        // Serialising plain strings cannot fail; an empty hash matches nothing.
        serde_json::to_vec(&legacy)
            .map(|bytes| hex::encode(Sha256::digest(&bytes)))
            .unwrap_or_default()
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

/// A short field (a name, a date, a code) is one line of visible text: no
/// control characters at all, so no field can carry a separator of the
/// access log's hash or a terminal escape into a log.
pub(crate) fn check_short(field: &'static str, value: &str) -> Result<(), ProtocolError> {
    if value.chars().count() > MAX_SHORT_CHARS {
        return Err(ProtocolError::TooLong { field });
    }
    if value.chars().any(char::is_control) {
        return Err(ProtocolError::Invalid {
            field,
            reason: "holds a control character",
        });
    }
    Ok(())
}

/// A text (a note section, remarks) may hold line breaks and tabs, and no
/// other control character.
fn check_text(field: &'static str, value: &str) -> Result<(), ProtocolError> {
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(ProtocolError::TooLong { field });
    }
    if value
        .chars()
        .any(|character| character.is_control() && !matches!(character, '\n' | '\r' | '\t'))
    {
        return Err(ProtocolError::Invalid {
            field,
            reason: "holds a control character other than a line break or tab",
        });
    }
    Ok(())
}
