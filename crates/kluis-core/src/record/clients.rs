//! Clients: the people whose care is recorded (SPEC §3), with their consents.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::audit::{AuditAction, RecordPart};
use crate::error::{CoreError, CoreResult};
use crate::record::practitioner::Practitioner;
use crate::record::scope::{Scope, Target, now_utc};
use crate::record::search;
use crate::sync::outbox::{self, RecordKind, SyncAction};
use crate::vault::db;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Consents {
    /// Consent to process health data; required, with the date it was given.
    pub health_data_consent_date: String,
    /// Explicit opt-in to anonymous employer reporting; withdrawable.
    pub employer_reporting_opt_in: bool,
    pub employer_reporting_date: Option<String>,
    /// The day the client withdrew consent to process health data. A
    /// withdrawn consent restricts the record (see [`ClientInput::validated`]);
    /// giving consent again (a new date, this cleared) lets the restriction
    /// be lifted.
    #[serde(default)]
    pub health_data_consent_withdrawn: Option<String>,
}

/// The privacy log's vocabulary is the protocol's: it travels with the client.
pub use kluis_protocol::records::{PrivacyEvent, PrivacyEventKind};

/// What a practitioner enters or edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ClientInput {
    pub first_name: String,
    pub last_name: Option<String>,
    pub email: String,
    pub birth_year: u16,
    pub phone: String,
    pub employer: Option<String>,
    pub care_start: String,
    pub care_end: Option<String>,
    pub remarks: String,
    pub consents: Consents,
    pub restricted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Client {
    pub id: String,
    /// Pseudonymous code used wherever the name must not appear.
    pub client_code: String,
    #[serde(flatten)]
    pub input: ClientInput,
    /// Every privacy decision about the client, oldest first (append-only).
    pub privacy_log: Vec<PrivacyEvent>,
    pub created_at: String,
    pub updated_at: String,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ClientSummary {
    pub id: String,
    pub client_code: String,
    pub first_name: String,
    pub last_name: Option<String>,
    pub care_start: String,
    pub care_end: Option<String>,
    pub restricted: bool,
}

const MAX_REMARKS_CHARS: usize = 20_000;

impl ClientInput {
    /// Normalises whitespace and checks every field; the UI checks too, but
    /// this is the rule.
    pub fn validated(mut self, today: NaiveDate) -> CoreResult<Self> {
        self.first_name = self.first_name.trim().to_owned();
        self.last_name = trimmed_optional(self.last_name);
        self.email = self.email.trim().to_owned();
        self.phone = self.phone.trim().to_owned();
        self.employer = trimmed_optional(self.employer);
        self.care_end = trimmed_optional(self.care_end);
        self.consents.employer_reporting_date =
            trimmed_optional(self.consents.employer_reporting_date);
        self.consents.health_data_consent_withdrawn =
            trimmed_optional(self.consents.health_data_consent_withdrawn);

        require(
            !self.first_name.is_empty() && self.first_name.chars().count() <= 100,
            "firstName",
            "is required (at most 100 characters)",
        )?;
        require(
            self.last_name
                .as_ref()
                .is_none_or(|name| name.chars().count() <= 100),
            "lastName",
            "is too long",
        )?;
        require(
            is_plausible_email(&self.email),
            "email",
            "is not a valid e-mail address",
        )?;
        let year = i32::from(self.birth_year);
        require(
            (1900..=today.year()).contains(&year),
            "birthYear",
            "must be between 1900 and this year",
        )?;
        require(
            is_plausible_phone(&self.phone),
            "phone",
            "must be 6 to 20 digits, spaces, + - ( )",
        )?;
        require(
            self.employer
                .as_ref()
                .is_none_or(|name| name.chars().count() <= 200),
            "employer",
            "is too long",
        )?;
        let care_start = parse_date(&self.care_start, "careStart")?;
        if let Some(care_end) = &self.care_end {
            require(
                parse_date(care_end, "careEnd")? >= care_start,
                "careEnd",
                "must not be before the start of care",
            )?;
        }
        let consent_date = parse_date(
            &self.consents.health_data_consent_date,
            "healthDataConsentDate",
        )?;
        require(
            consent_date <= today,
            "healthDataConsentDate",
            "must not be in the future",
        )?;
        if let Some(withdrawn) = &self.consents.health_data_consent_withdrawn {
            let withdrawn = parse_date(withdrawn, "healthDataConsentWithdrawn")?;
            require(
                withdrawn >= consent_date && withdrawn <= today,
                "healthDataConsentWithdrawn",
                "must be on or after the consent and not in the future",
            )?;
            // Without consent the record may not be processed: it is
            // restricted until consent is given again (AVG art. 7(3), 18).
            self.restricted = true;
        }
        if self.consents.employer_reporting_opt_in {
            let date =
                self.consents
                    .employer_reporting_date
                    .as_deref()
                    .ok_or(CoreError::Validation {
                        field: "employerReportingDate",
                        reason: "is required when the client opts in",
                    })?;
            parse_date(date, "employerReportingDate")?;
        }
        require(
            self.remarks.chars().count() <= MAX_REMARKS_CHARS,
            "remarks",
            "is too long",
        )?;
        Ok(self)
    }
}

fn require(condition: bool, field: &'static str, reason: &'static str) -> CoreResult<()> {
    if condition {
        Ok(())
    } else {
        Err(CoreError::Validation { field, reason })
    }
}

fn trimmed_optional(value: Option<String>) -> Option<String> {
    value
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

fn parse_date(text: &str, field: &'static str) -> CoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| CoreError::Validation {
        field,
        reason: "must be a date (YYYY-MM-DD)",
    })
}

fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

fn is_plausible_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (6..=20).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c))
}

/// Characters for client codes: no 0/O, 1/I/L or U, so a code read aloud is
/// not misheard.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

fn new_client_code() -> String {
    let mut random = rand::thread_rng();
    let suffix: String = (0..5)
        .map(|_| char::from(CODE_ALPHABET[random.gen_range(0..CODE_ALPHABET.len())]))
        .collect();
    format!("C-{suffix}")
}

const CLIENT_COLUMNS: &str = "id, client_code, first_name, last_name, email, birth_year, phone, employer, \
     care_start, care_end, remarks, health_data_consent_date, employer_reporting_opt_in, \
     employer_reporting_date, restricted, created_at, updated_at, version, \
     health_data_consent_withdrawn, privacy_log";

/// The client as stored, without a scope and without an access-log entry:
/// for the sync room, which sends what the vault holds, not what a
/// practitioner looks at.
pub(crate) fn stored_client(connection: &Connection, id: &str) -> CoreResult<Option<Client>> {
    Ok(connection
        .prepare_cached(&format!(
            "SELECT {CLIENT_COLUMNS} FROM client WHERE id = ?1"
        ))?
        .query_row([id], client_from_row)
        .optional()?)
}

impl Client {
    /// The client as it travels to the store.
    pub(crate) fn into_wire(self) -> kluis_protocol::records::ClientRecord {
        let Client {
            id,
            client_code,
            input,
            privacy_log,
            ..
        } = self;
        kluis_protocol::records::ClientRecord {
            id,
            client_code,
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email,
            birth_year: input.birth_year,
            phone: input.phone,
            employer: input.employer,
            care_start: input.care_start,
            care_end: input.care_end,
            remarks: input.remarks,
            health_data_consent_date: input.consents.health_data_consent_date,
            employer_reporting_opt_in: input.consents.employer_reporting_opt_in,
            employer_reporting_date: input.consents.employer_reporting_date,
            restricted: input.restricted,
            health_data_consent_withdrawn: input.consents.health_data_consent_withdrawn,
            privacy_log,
        }
    }
}

fn client_from_row(row: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: row.get(0)?,
        client_code: row.get(1)?,
        input: ClientInput {
            first_name: row.get(2)?,
            last_name: row.get(3)?,
            email: row.get(4)?,
            birth_year: row.get(5)?,
            phone: row.get(6)?,
            employer: row.get(7)?,
            care_start: row.get(8)?,
            care_end: row.get(9)?,
            remarks: row.get(10)?,
            consents: Consents {
                health_data_consent_date: row.get(11)?,
                employer_reporting_opt_in: row.get(12)?,
                employer_reporting_date: row.get(13)?,
                health_data_consent_withdrawn: row.get(18)?,
            },
            restricted: row.get(14)?,
        },
        privacy_log: privacy_log_from(row.get_ref(19)?.as_str()?, 19)?,
        created_at: row.get(15)?,
        updated_at: row.get(16)?,
        version: row.get(17)?,
    })
}

/// The stored privacy log (JSON); anything else is damage.
fn privacy_log_from(text: &str, column: usize) -> rusqlite::Result<Vec<PrivacyEvent>> {
    serde_json::from_str(text).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            Box::new(error),
        )
    })
}

fn privacy_log_json(log: &[PrivacyEvent]) -> CoreResult<String> {
    // The store takes no longer log: refused here, in words, rather than
    // wedging the outbox.
    require(
        log.len() <= kluis_protocol::records::MAX_PRIVACY_EVENTS,
        "privacyLog",
        "holds as many entries as a client's record may",
    )?;
    serde_json::to_string(log).map_err(|error| CoreError::Internal(error.to_string()))
}

/// The privacy decisions an edit makes, dated as the practitioner entered
/// them (a consent's own date) or today (a restriction).
fn privacy_events(
    before: Option<&ClientInput>,
    after: &ClientInput,
    by: &str,
    today: NaiveDate,
) -> Vec<PrivacyEvent> {
    let today = today.format("%Y-%m-%d").to_string();
    let event = |on: &str, kind| PrivacyEvent {
        on: on.to_owned(),
        kind,
        by: by.to_owned(),
        reason: None,
    };
    let mut events = Vec::new();
    let consents = &after.consents;
    let given_before = before.map(|input| input.consents.health_data_consent_date.as_str());
    let withdrawn_before =
        before.and_then(|input| input.consents.health_data_consent_withdrawn.as_deref());
    if given_before != Some(consents.health_data_consent_date.as_str())
        || (withdrawn_before.is_some() && consents.health_data_consent_withdrawn.is_none())
    {
        events.push(event(
            &consents.health_data_consent_date,
            PrivacyEventKind::HealthDataConsentGiven,
        ));
    }
    if let Some(withdrawn) = &consents.health_data_consent_withdrawn
        && withdrawn_before != Some(withdrawn.as_str())
    {
        events.push(event(
            withdrawn,
            PrivacyEventKind::HealthDataConsentWithdrawn,
        ));
    }
    let opted_in_before = before.is_some_and(|input| input.consents.employer_reporting_opt_in);
    if consents.employer_reporting_opt_in && !opted_in_before {
        let on = consents
            .employer_reporting_date
            .as_deref()
            .unwrap_or(&today);
        events.push(event(on, PrivacyEventKind::EmployerReportingOptedIn));
    } else if !consents.employer_reporting_opt_in && opted_in_before {
        events.push(event(&today, PrivacyEventKind::EmployerReportingWithdrawn));
    }
    let restricted_before = before.is_some_and(|input| input.restricted);
    if after.restricted && !restricted_before {
        events.push(event(&today, PrivacyEventKind::Restricted));
    } else if !after.restricted && restricted_before {
        events.push(event(&today, PrivacyEventKind::RestrictionLifted));
    }
    events
}

/// The longest reason a refused erasure may give.
const MAX_REFUSAL_REASON_CHARS: usize = 2_000;

/// Client records as seen by one practitioner: only clients assigned to them.
/// Every read of a record and every change is in the access log.
#[derive(Debug)]
pub struct ClientRepository<'a> {
    scope: Scope<'a>,
    connection: &'a Connection,
    practitioner: &'a Practitioner,
}

impl<'a> ClientRepository<'a> {
    pub fn new(scope: Scope<'a>) -> Self {
        Self {
            scope,
            connection: scope.connection,
            practitioner: scope.practitioner,
        }
    }

    pub fn list(&self) -> CoreResult<Vec<ClientSummary>> {
        let mut statement = self.connection.prepare(
            "SELECT c.id, c.client_code, c.first_name, c.last_name, c.care_start, c.care_end, c.restricted \
             FROM client c JOIN client_assignment a ON a.client_id = c.id \
             WHERE a.practitioner_id = ?1 \
             ORDER BY c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE",
        )?;
        let rows = statement.query_map([&self.practitioner.id], |row| {
            Ok(ClientSummary {
                id: row.get(0)?,
                client_code: row.get(1)?,
                first_name: row.get(2)?,
                last_name: row.get(3)?,
                care_start: row.get(4)?,
                care_end: row.get(5)?,
                restricted: row.get(6)?,
            })
        })?;
        let clients = rows.collect::<Result<_, _>>()?;
        self.scope
            .log(AuditAction::Read, Target::new(RecordPart::ClientList))?;
        Ok(clients)
    }

    /// Opens a client's record: logged as a read.
    pub fn get(&self, id: &str) -> CoreResult<Client> {
        let client = self.load(id)?;
        self.scope.log(
            AuditAction::Read,
            Target::new(RecordPart::Client).client(id).record(id),
        )?;
        Ok(client)
    }

    /// A client's record without an access-log entry, for the repository's
    /// own checks and for callers that log the read themselves.
    pub(crate) fn load(&self, id: &str) -> CoreResult<Client> {
        // Cached: a full read of the list calls this once per client.
        self.connection
            .prepare_cached(&format!(
                "SELECT {CLIENT_COLUMNS} FROM client WHERE id = ?1 AND EXISTS \
                 (SELECT 1 FROM client_assignment WHERE client_id = ?1 AND practitioner_id = ?2)"
            ))?
            .query_row(params![id, self.practitioner.id], client_from_row)
            .optional()?
            .ok_or(CoreError::NotFound("client"))
    }

    pub fn create(&self, input: ClientInput) -> CoreResult<Client> {
        self.require_edit_right(AuditAction::Create, None)?;
        let today = chrono::Local::now().date_naive();
        let input = input.validated(today)?;
        let id = uuid::Uuid::new_v4().to_string();
        let now = now_utc();
        let privacy_log = privacy_log_json(&privacy_events(
            None,
            &input,
            &self.practitioner.display_name,
            today,
        ))?;
        let connection = self.connection;
        db::atomically(connection, || {
            let mut client_code = new_client_code();
            while connection
                .query_row(
                    "SELECT 1 FROM client WHERE client_code = ?1",
                    [&client_code],
                    |_| Ok(()),
                )
                .optional()?
                .is_some()
            {
                client_code = new_client_code();
            }
            connection.execute(
                &format!("INSERT INTO client ({CLIENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, 1, ?17, ?18)"),
                params![
                    id, client_code, input.first_name, input.last_name, input.email, input.birth_year,
                    input.phone, input.employer, input.care_start, input.care_end, input.remarks,
                    input.consents.health_data_consent_date, input.consents.employer_reporting_opt_in,
                    input.consents.employer_reporting_date, input.restricted, now,
                    input.consents.health_data_consent_withdrawn, privacy_log
                ],
            )?;
            connection.execute(
                "INSERT INTO client_assignment (client_id, practitioner_id) VALUES (?1, ?2)",
                params![id, self.practitioner.id],
            )?;
            search::index_client(connection, &id, &searchable_text(&client_code, &input))?;
            outbox::record_change(connection, RecordKind::Client, &id, SyncAction::Upsert)?;
            self.scope.log(
                AuditAction::Create,
                Target::new(RecordPart::Client).client(&id).record(&id),
            )
        })?;
        self.load(&id)
    }

    /// Puts another practitioner on the client's care team. Assignments come
    /// from the provider (IT, sync); the repository needs it to apply them.
    pub fn assign(&self, client_id: &str, practitioner_id: &str) -> CoreResult<()> {
        self.require_edit_right(AuditAction::Update, Some(client_id))?;
        self.load(client_id)?;
        self.connection.execute(
            "INSERT OR IGNORE INTO client_assignment (client_id, practitioner_id) VALUES (?1, ?2)",
            params![client_id, practitioner_id],
        )?;
        Ok(())
    }

    /// Edits a client; every change of consent or restriction is added to
    /// the privacy log with its date. A restricted record is read-only: the
    /// only changes accepted are privacy decisions (consents, the
    /// restriction itself).
    pub fn update(&self, id: &str, input: ClientInput) -> CoreResult<Client> {
        self.require_edit_right(AuditAction::Update, Some(id))?;
        let current = self.load(id)?;
        let today = chrono::Local::now().date_naive();
        let input = input.validated(today)?;
        if current.input.restricted && !privacy_decisions_only(&current.input, &input) {
            return Err(CoreError::Restricted);
        }
        // Consent given again after a withdrawal is a new consent: dated on
        // or after the withdrawal, or the log would show it given before.
        if let Some(withdrawn) = &current.input.consents.health_data_consent_withdrawn
            && input.consents.health_data_consent_withdrawn.is_none()
        {
            require(
                input.consents.health_data_consent_date.as_str() >= withdrawn.as_str(),
                "healthDataConsentDate",
                "consent given again is dated on or after its withdrawal",
            )?;
        }
        let mut privacy_log = current.privacy_log.clone();
        privacy_log.extend(privacy_events(
            Some(&current.input),
            &input,
            &self.practitioner.display_name,
            today,
        ));
        let privacy_log = privacy_log_json(&privacy_log)?;
        db::atomically(self.connection, || {
            self.connection.execute(
                "UPDATE client SET first_name = ?2, last_name = ?3, email = ?4, birth_year = ?5, phone = ?6, \
                 employer = ?7, care_start = ?8, care_end = ?9, remarks = ?10, health_data_consent_date = ?11, \
                 employer_reporting_opt_in = ?12, employer_reporting_date = ?13, restricted = ?14, \
                 updated_at = ?15, health_data_consent_withdrawn = ?16, privacy_log = ?17, \
                 version = version + 1 WHERE id = ?1",
                params![
                    id, input.first_name, input.last_name, input.email, input.birth_year, input.phone,
                    input.employer, input.care_start, input.care_end, input.remarks,
                    input.consents.health_data_consent_date, input.consents.employer_reporting_opt_in,
                    input.consents.employer_reporting_date, input.restricted, now_utc(),
                    input.consents.health_data_consent_withdrawn, privacy_log
                ],
            )?;
            search::index_client(
                self.connection,
                id,
                &searchable_text(&current.client_code, &input),
            )?;
            self.changed(id)
        })?;
        self.load(id)
    }

    /// Records that a request to erase the client was refused, and why (the
    /// privacy statement allows a refusal, e.g. a legal duty to keep the
    /// record). Psychologists of the care team only; taken on a restricted
    /// record too, since it changes nothing but the privacy log.
    pub fn refuse_erasure(&self, id: &str, reason: &str) -> CoreResult<Client> {
        self.require_edit_right(AuditAction::Update, Some(id))?;
        let current = self.load(id)?;
        let reason = reason.trim();
        require(
            !reason.is_empty() && reason.chars().count() <= MAX_REFUSAL_REASON_CHARS,
            "reason",
            "is required (at most 2000 characters)",
        )?;
        let mut privacy_log = current.privacy_log;
        privacy_log.push(PrivacyEvent {
            on: chrono::Local::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string(),
            kind: PrivacyEventKind::ErasureRefused,
            by: self.practitioner.display_name.clone(),
            reason: Some(reason.to_owned()),
        });
        let privacy_log = privacy_log_json(&privacy_log)?;
        db::atomically(self.connection, || {
            self.connection.execute(
                "UPDATE client SET privacy_log = ?2, updated_at = ?3, version = version + 1 \
                 WHERE id = ?1",
                params![id, privacy_log, now_utc()],
            )?;
            self.changed(id)
        })?;
        self.load(id)
    }

    /// Inside an edit's transaction: the change goes to the store, and the
    /// access log says who changed the client.
    fn changed(&self, id: &str) -> CoreResult<()> {
        outbox::record_change(self.connection, RecordKind::Client, id, SyncAction::Upsert)?;
        self.scope.log(
            AuditAction::Update,
            Target::new(RecordPart::Client).client(id).record(id),
        )
    }

    fn require_edit_right(&self, action: AuditAction, client_id: Option<&str>) -> CoreResult<()> {
        let mut target = Target::new(RecordPart::Client);
        if let Some(id) = client_id {
            target = target.client(id).record(id);
        }
        self.scope.authorize(
            self.practitioner.role.may_edit_client_records(),
            action,
            target,
            "only psychologists create and edit client records",
        )
    }
}

/// Whether an edit of a restricted record changes only privacy decisions:
/// the consents and the restriction itself, which is all a restricted record
/// takes (the store has the same rule).
fn privacy_decisions_only(current: &ClientInput, edited: &ClientInput) -> bool {
    ClientInput {
        consents: current.consents.clone(),
        restricted: current.restricted,
        ..edited.clone()
    } == *current
}

/// What search finds a client by: name, code, employer and remarks.
fn searchable_text(client_code: &str, input: &ClientInput) -> String {
    client_search_text(
        &input.first_name,
        input.last_name.as_deref(),
        client_code,
        input.employer.as_deref(),
        &input.remarks,
    )
}

/// The searchable text of a client, from its fields; also used when a client
/// arrives from the central store.
pub(crate) fn client_search_text(
    first_name: &str,
    last_name: Option<&str>,
    client_code: &str,
    employer: Option<&str>,
    remarks: &str,
) -> String {
    [
        first_name,
        last_name.unwrap_or_default(),
        client_code,
        employer.unwrap_or_default(),
        remarks,
    ]
    .join("\n")
}
