//! The readable copy of a client's record: the same content as the JSON
//! export (`export.rs`), as a PDF in Dutch or English for the client to
//! read. Times are shown in Europe/Amsterdam with Dutch day-month-year
//! dates in both languages, as everywhere in Kluis.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;
use kluis_document::{Block, Document, Table};

use crate::audit::{AuditAction, AuditOutcome, RecordPart};
use crate::profile::settings::Language;
use crate::record::clients::PrivacyEventKind;
use crate::record::consults::{ConsultKind, ConsultStatus};
use crate::record::export::ClientExport;
use crate::record::notes::{NoteStatus, NoteTemplate, who5_score};
use crate::record::practitioner::Role;

/// The words of the document in one language.
#[derive(Debug)]
struct Words {
    title: &'static str,
    page: (&'static str, &'static str),
    made: &'static str,
    by: &'static str,
    what_this_is: &'static str,
    private_left_out: &'static str,
    no_private: &'static str,
    profile: &'static str,
    consents: &'static str,
    consults: &'static str,
    notes: &'static str,
    access_log: &'static str,
    none: &'static str,
    yes: &'static str,
    no: &'static str,
    since: &'static str,
    fields: ProfileWords,
    consult_columns: [&'static str; 4],
    log_columns: [&'static str; 5],
    draft: &'static str,
    signed_by: &'static str,
    addendum: &'static str,
    reason: &'static str,
    who5: &'static str,
    privacy_log: &'static str,
    privacy_columns: [&'static str; 4],
    withdrawn: &'static str,
}

#[derive(Debug)]
struct ProfileWords {
    code: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    email: &'static str,
    birth_year: &'static str,
    phone: &'static str,
    employer: &'static str,
    care_start: &'static str,
    care_end: &'static str,
    remarks: &'static str,
    restricted: &'static str,
    health_consent: &'static str,
    employer_reporting: &'static str,
}

const DUTCH: Words = Words {
    title: "Inzage in het dossier van",
    page: ("Pagina", "van"),
    made: "Gemaakt op",
    by: "door",
    what_this_is: "Dit is een volledige kopie van uw dossier bij uw zorgverlener: uw gegevens en toestemmingen, uw consulten, de notities over u met hun aanvullingen (addenda) en wie uw dossier heeft ingezien (de toegangslog). U heeft hier recht op volgens de AVG (artikel 15 en 20).",
    private_left_out: "Persoonlijke werkaantekeningen van behandelaars horen niet bij het dossier en staan hier niet in. Aantal weggelaten:",
    no_private: "Er zijn geen persoonlijke werkaantekeningen weggelaten.",
    profile: "Gegevens",
    consents: "Toestemmingen",
    consults: "Consulten",
    notes: "Notities",
    access_log: "Wie heeft uw dossier ingezien",
    none: "Geen.",
    yes: "ja",
    no: "nee",
    since: "sinds",
    fields: ProfileWords {
        code: "Cliëntcode",
        first_name: "Voornaam",
        last_name: "Achternaam",
        email: "E-mail",
        birth_year: "Geboortejaar",
        phone: "Telefoon",
        employer: "Werkgever",
        care_start: "Begin zorg",
        care_end: "Einde zorg",
        remarks: "Opmerkingen",
        restricted: "Verwerking beperkt",
        health_consent: "Toestemming gezondheidsgegevens",
        employer_reporting: "Anonieme rapportage aan werkgever",
    },
    consult_columns: ["Wanneer", "Soort", "Duur", "Status"],
    log_columns: ["Wanneer", "Wie", "Handeling", "Onderdeel", "Resultaat"],
    draft: "Concept",
    signed_by: "Ondertekend door",
    addendum: "Aanvulling",
    reason: "reden",
    who5: "WHO-5-welzijnsscore",
    privacy_log: "Privacygeschiedenis",
    privacy_columns: ["Datum", "Wat", "Door", "Reden"],
    withdrawn: "ingetrokken op",
};

const ENGLISH: Words = Words {
    title: "Copy of the record of",
    page: ("Page", "of"),
    made: "Made on",
    by: "by",
    what_this_is: "This is a complete copy of your record with your care provider: your details and consents, your consults, the notes about you with their addenda, and who looked at your record (the access log). The GDPR gives you the right to it (articles 15 and 20).",
    private_left_out: "Practitioners' personal work notes are not part of the record and are not included. Number left out:",
    no_private: "No personal work notes were left out.",
    profile: "Details",
    consents: "Consents",
    consults: "Consults",
    notes: "Notes",
    access_log: "Who looked at your record",
    none: "None.",
    yes: "yes",
    no: "no",
    since: "since",
    fields: ProfileWords {
        code: "Client code",
        first_name: "First name",
        last_name: "Last name",
        email: "E-mail",
        birth_year: "Year of birth",
        phone: "Phone",
        employer: "Employer",
        care_start: "Care started",
        care_end: "Care ended",
        remarks: "Remarks",
        restricted: "Processing restricted",
        health_consent: "Consent to process health data",
        employer_reporting: "Anonymous reporting to employer",
    },
    consult_columns: ["When", "Kind", "Duration", "Status"],
    log_columns: ["When", "Who", "Action", "Record part", "Outcome"],
    draft: "Draft",
    signed_by: "Signed by",
    addendum: "Addendum",
    reason: "reason",
    who5: "WHO-5 wellbeing score",
    privacy_log: "Privacy history",
    privacy_columns: ["Date", "What", "By", "Reason"],
    withdrawn: "withdrawn on",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::Nl => &DUTCH,
        Language::En => &ENGLISH,
    }
}

/// An instant (RFC 3339) as Dutch local time, `dd-mm-jjjj hh:mm`; text that
/// is not an instant is shown as it is.
fn local_time(instant: &str) -> String {
    DateTime::parse_from_rfc3339(instant)
        .map(|time| {
            time.with_timezone(&Utc)
                .with_timezone(&Amsterdam)
                .format("%d-%m-%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| instant.to_owned())
}

/// A date (`YYYY-MM-DD`) as `dd-mm-jjjj`.
fn local_date(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|day| day.format("%d-%m-%Y").to_string())
        .unwrap_or_else(|_| date.to_owned())
}

fn role(role: Role, language: Language) -> &'static str {
    match (role, language) {
        (Role::Psychologist, Language::Nl) => "psycholoog",
        (Role::Psychologist, Language::En) => "psychologist",
        (Role::LifestyleExpert, Language::Nl) => "leefstijlexpert",
        (Role::LifestyleExpert, Language::En) => "lifestyle expert",
    }
}

fn consult_kind(kind: ConsultKind, language: Language) -> &'static str {
    match (kind, language) {
        (ConsultKind::Video, Language::Nl) => "Videoconsult",
        (ConsultKind::Video, Language::En) => "Video consult",
        (ConsultKind::Phone, Language::Nl) => "Telefonisch consult",
        (ConsultKind::Phone, Language::En) => "Phone consult",
        (ConsultKind::GroupSession, Language::Nl) => "OpenUp Space-groepssessie",
        (ConsultKind::GroupSession, Language::En) => "OpenUp Space group session",
        (ConsultKind::SelfCheckIn, Language::Nl) => "Zelf-check-in",
        (ConsultKind::SelfCheckIn, Language::En) => "Self check-in",
    }
}

fn consult_status(status: ConsultStatus, language: Language) -> &'static str {
    match (status, language) {
        (ConsultStatus::Planned, Language::Nl) => "Gepland",
        (ConsultStatus::Planned, Language::En) => "Planned",
        (ConsultStatus::Completed, Language::Nl) => "Afgerond",
        (ConsultStatus::Completed, Language::En) => "Completed",
        (ConsultStatus::Cancelled, Language::Nl) => "Geannuleerd",
        (ConsultStatus::Cancelled, Language::En) => "Cancelled",
        (ConsultStatus::NoShow, Language::Nl) => "Niet verschenen",
        (ConsultStatus::NoShow, Language::En) => "No-show",
    }
}

fn template(template: NoteTemplate, language: Language) -> &'static str {
    match (template, language) {
        (NoteTemplate::Free, Language::Nl) => "Vrije tekst",
        (NoteTemplate::Free, Language::En) => "Free text",
        (NoteTemplate::Soap, _) => "SOAP",
        (NoteTemplate::Dap, _) => "DAP",
        (NoteTemplate::LifestyleCheckIn, Language::Nl) => "Leefstijl-check-in",
        (NoteTemplate::LifestyleCheckIn, Language::En) => "Lifestyle check-in",
    }
}

/// A section's title; a key Kluis does not know is shown as it is.
fn section(key: &str, language: Language) -> String {
    let (dutch, english) = match key {
        "text" => ("Tekst", "Text"),
        "subjective" => ("Subjectief", "Subjective"),
        "objective" => ("Objectief", "Objective"),
        "assessment" => ("Analyse", "Assessment"),
        "plan" => ("Plan", "Plan"),
        "data" => ("Data", "Data"),
        "sleep" => ("Slaap", "Sleep"),
        "movement" => ("Beweging", "Exercise"),
        "nutrition" => ("Voeding", "Nutrition"),
        "stress" => ("Stress", "Stress"),
        "agreements" => ("Afspraken", "Agreements"),
        "who5_cheerful" => (
            "WHO-5: opgewekt en goedgehumeurd (0-5)",
            "WHO-5: cheerful and in good spirits (0-5)",
        ),
        "who5_calm" => (
            "WHO-5: rustig en ontspannen (0-5)",
            "WHO-5: calm and relaxed (0-5)",
        ),
        "who5_active" => (
            "WHO-5: actief en energiek (0-5)",
            "WHO-5: active and vigorous (0-5)",
        ),
        "who5_rested" => (
            "WHO-5: fris en uitgerust wakker (0-5)",
            "WHO-5: woke up fresh and rested (0-5)",
        ),
        "who5_interest" => (
            "WHO-5: dagelijks leven met boeiende dingen (0-5)",
            "WHO-5: daily life filled with things of interest (0-5)",
        ),
        other => (other, other),
    };
    match language {
        Language::Nl => dutch.to_owned(),
        Language::En => english.to_owned(),
    }
}

fn privacy_event(kind: PrivacyEventKind, language: Language) -> &'static str {
    let (dutch, english) = match kind {
        PrivacyEventKind::HealthDataConsentGiven => (
            "Toestemming gezondheidsgegevens gegeven",
            "Consent to process health data given",
        ),
        PrivacyEventKind::HealthDataConsentWithdrawn => (
            "Toestemming gezondheidsgegevens ingetrokken",
            "Consent to process health data withdrawn",
        ),
        PrivacyEventKind::EmployerReportingOptedIn => (
            "Toestemming rapportage aan werkgever gegeven",
            "Opted in to reporting to the employer",
        ),
        PrivacyEventKind::EmployerReportingWithdrawn => (
            "Toestemming rapportage aan werkgever ingetrokken",
            "Reporting to the employer withdrawn",
        ),
        PrivacyEventKind::Restricted => ("Verwerking beperkt", "Processing restricted"),
        PrivacyEventKind::RestrictionLifted => ("Beperking opgeheven", "Restriction lifted"),
        PrivacyEventKind::ErasureRefused => {
            ("Verzoek om wissen geweigerd", "Request for erasure refused")
        }
    };
    match language {
        Language::Nl => dutch,
        Language::En => english,
    }
}

fn action(action: AuditAction, language: Language) -> &'static str {
    let (dutch, english) = match action {
        AuditAction::Create => ("Aangemaakt", "Created"),
        AuditAction::Read => ("Ingezien", "Viewed"),
        AuditAction::Update => ("Gewijzigd", "Changed"),
        AuditAction::Delete => ("Verwijderd", "Deleted"),
        AuditAction::Sign => ("Ondertekend", "Signed"),
        AuditAction::Export => ("Geëxporteerd", "Exported"),
        AuditAction::Search => ("Gezocht", "Searched"),
        AuditAction::Print => ("Afgedrukt", "Printed"),
    };
    match language {
        Language::Nl => dutch,
        Language::En => english,
    }
}

fn part(part: RecordPart, language: Language) -> &'static str {
    let (dutch, english) = match part {
        RecordPart::Client => ("Cliëntgegevens", "Client details"),
        RecordPart::ClientList => ("Cliëntenlijst", "Client list"),
        RecordPart::Consult => ("Consult", "Consult"),
        RecordPart::Agenda => ("Agenda", "Agenda"),
        RecordPart::Note => ("Notitie", "Note"),
        RecordPart::NoteAddendum => ("Addendum", "Addendum"),
        RecordPart::Timeline => ("Tijdlijn", "Timeline"),
        RecordPart::AccessLog => ("Toegangslog", "Access log"),
        RecordPart::Search => ("Zoeken", "Search"),
    };
    match language {
        Language::Nl => dutch,
        Language::En => english,
    }
}

fn outcome(outcome: AuditOutcome, language: Language) -> &'static str {
    match (outcome, language) {
        (AuditOutcome::Success, Language::Nl) => "Toegestaan",
        (AuditOutcome::Success, Language::En) => "Allowed",
        (AuditOutcome::Denied, Language::Nl) => "Geweigerd",
        (AuditOutcome::Denied, Language::En) => "Denied",
    }
}

impl ClientExport {
    /// The export as a readable document in `language`.
    pub fn to_document(&self, language: Language) -> Document {
        let words = words(language);
        let client = &self.client;
        let input = &client.input;
        let full_name = match &input.last_name {
            Some(last) => format!("{} {last}", input.first_name),
            None => input.first_name.clone(),
        };
        let yes_no = |value: bool| if value { words.yes } else { words.no };
        let mut blocks = vec![
            Block::Title(format!(
                "{} {full_name} ({})",
                words.title, client.client_code
            )),
            Block::Remark(format!(
                "{} {} {} {} ({}).",
                words.made,
                local_time(&self.exported_at),
                words.by,
                self.exported_by.name,
                role(self.exported_by.role, language)
            )),
            Block::Paragraph(words.what_this_is.to_owned()),
            Block::Remark(if self.private_notes_left_out == 0 {
                words.no_private.to_owned()
            } else {
                format!(
                    "{} {}.",
                    words.private_left_out, self.private_notes_left_out
                )
            }),
            Block::Heading(words.profile.to_owned()),
        ];
        let fields = &words.fields;
        let mut profile = vec![
            (fields.code.to_owned(), client.client_code.clone()),
            (fields.first_name.to_owned(), input.first_name.clone()),
        ];
        if let Some(last) = &input.last_name {
            profile.push((fields.last_name.to_owned(), last.clone()));
        }
        profile.extend([
            (fields.email.to_owned(), input.email.clone()),
            (fields.birth_year.to_owned(), input.birth_year.to_string()),
            (fields.phone.to_owned(), input.phone.clone()),
        ]);
        if let Some(employer) = &input.employer {
            profile.push((fields.employer.to_owned(), employer.clone()));
        }
        profile.push((fields.care_start.to_owned(), local_date(&input.care_start)));
        if let Some(end) = &input.care_end {
            profile.push((fields.care_end.to_owned(), local_date(end)));
        }
        if !input.remarks.is_empty() {
            profile.push((fields.remarks.to_owned(), input.remarks.clone()));
        }
        profile.push((
            fields.restricted.to_owned(),
            yes_no(input.restricted).to_owned(),
        ));
        blocks.push(Block::Fields(profile));

        blocks.push(Block::Heading(words.consents.to_owned()));
        let consents = &input.consents;
        let reporting = match (
            &consents.employer_reporting_date,
            consents.employer_reporting_opt_in,
        ) {
            (Some(date), opted_in) => {
                format!(
                    "{} ({} {})",
                    yes_no(opted_in),
                    words.since,
                    local_date(date)
                )
            }
            (None, opted_in) => yes_no(opted_in).to_owned(),
        };
        let health_consent = match &consents.health_data_consent_withdrawn {
            Some(withdrawn) => format!(
                "{} ({} {}, {} {})",
                words.no,
                words.since,
                local_date(&consents.health_data_consent_date),
                words.withdrawn,
                local_date(withdrawn)
            ),
            None => format!(
                "{} ({} {})",
                words.yes,
                words.since,
                local_date(&consents.health_data_consent_date)
            ),
        };
        blocks.push(Block::Fields(vec![
            (fields.health_consent.to_owned(), health_consent),
            (fields.employer_reporting.to_owned(), reporting),
        ]));
        if !client.privacy_log.is_empty() {
            blocks.push(Block::Heading(words.privacy_log.to_owned()));
            blocks.push(Block::Table(Table {
                header: words
                    .privacy_columns
                    .iter()
                    .map(|column| (*column).to_owned())
                    .collect(),
                rows: client
                    .privacy_log
                    .iter()
                    .map(|event| {
                        vec![
                            local_date(&event.on),
                            privacy_event(event.kind, language).to_owned(),
                            event.by.clone(),
                            event.reason.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            }));
        }

        blocks.push(Block::Heading(words.consults.to_owned()));
        if self.consults.is_empty() {
            blocks.push(Block::Paragraph(words.none.to_owned()));
        } else {
            blocks.push(Block::Table(Table {
                header: words
                    .consult_columns
                    .iter()
                    .map(|column| (*column).to_owned())
                    .collect(),
                rows: self
                    .consults
                    .iter()
                    .map(|consult| {
                        vec![
                            local_time(&consult.starts_at),
                            consult_kind(consult.kind, language).to_owned(),
                            format!("{} min", consult.duration_minutes),
                            consult_status(consult.status, language).to_owned(),
                        ]
                    })
                    .collect(),
            }));
        }

        blocks.push(Block::Heading(words.notes.to_owned()));
        if self.notes.is_empty() {
            blocks.push(Block::Paragraph(words.none.to_owned()));
        }
        for note in &self.notes {
            let status = match (&note.signed_at, &note.signed_by, note.status) {
                (Some(at), Some(by), NoteStatus::Signed) => {
                    format!("{} {by}, {}", words.signed_by, local_time(at))
                }
                _ => words.draft.to_owned(),
            };
            blocks.push(Block::Fields(vec![(
                local_time(&note.created_at),
                format!(
                    "{}, {} ({}). {status}.",
                    template(note.template, language),
                    note.author_name,
                    role(note.author_role, language)
                ),
            )]));
            if let Some(score) = who5_score(&note.sections) {
                blocks.push(Block::Fields(vec![(
                    words.who5.to_owned(),
                    format!("{score} / 100"),
                )]));
            }
            for part in note
                .sections
                .iter()
                .filter(|part| !part.text.trim().is_empty())
            {
                blocks.push(Block::Fields(vec![(
                    section(&part.key, language),
                    part.text.clone(),
                )]));
            }
            for addendum in &note.addenda {
                blocks.push(Block::Fields(vec![(
                    format!("{} {}", words.addendum, local_time(&addendum.created_at)),
                    format!(
                        "{} ({} {}): {}",
                        addendum.author_name, words.reason, addendum.reason, addendum.text
                    ),
                )]));
            }
        }

        blocks.push(Block::Heading(words.access_log.to_owned()));
        if self.access_log.is_empty() {
            blocks.push(Block::Paragraph(words.none.to_owned()));
        } else {
            blocks.push(Block::Table(Table {
                header: words
                    .log_columns
                    .iter()
                    .map(|column| (*column).to_owned())
                    .collect(),
                rows: self
                    .access_log
                    .iter()
                    .map(|event| {
                        vec![
                            local_time(&event.occurred_at),
                            format!(
                                "{} ({})",
                                event.actor_name,
                                role(event.actor_role, language)
                            ),
                            action(event.action, language).to_owned(),
                            part(event.record_part, language).to_owned(),
                            outcome(event.outcome, language).to_owned(),
                        ]
                    })
                    .collect(),
            }));
        }

        Document {
            title: format!("{} {}", words.title, client.client_code),
            footer: format!("Kluis - {}", client.client_code),
            page_words: (words.page.0.to_owned(), words.page.1.to_owned()),
            blocks,
        }
    }
}
