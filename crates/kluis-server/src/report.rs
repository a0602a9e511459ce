//! The employer report (SPEC §6; the privacy statement, section 3): how the
//! employees of one employer used the provider's care in a period, for the
//! employer, as aggregates that cannot name anyone.
//!
//! Who is counted: clients whose employer is the one asked for, who opted in
//! to employer reporting and whose record is not restricted, as the store
//! holds them now, so a withdrawn consent or a restriction takes a client out
//! of every report made after it. What is counted: completed consults in the
//! period (by kind), and for clients with at least two WHO-5 scores in the
//! period (signed care-team lifestyle check-ins) the change from the first
//! to the last.
//!
//! Disclosure control: a cell that comes from fewer than
//! [`MINIMUM_CLIENTS`] clients is suppressed. Where a group of cells has a
//! published total, suppressing one cell is not enough (the total minus the
//! others gives it back), so further cells are suppressed, smallest first,
//! until the suppressed cells together come from at least
//! [`MINIMUM_CLIENTS`] clients and are at least two; if that cannot be
//! reached, the total is suppressed too; so it is when the suppressed cells
//! sum to fewer than five (each is at least 1, so the sum would pin them
//! down). The wellbeing figures go when fewer than five served clients were
//! not measured (served minus measured would give that group back). A
//! cohort of fewer than
//! [`MINIMUM_CLIENTS`] clients gives a report that says only that.
//!
//! By construction the report holds no name, client code, birth year, date
//! of birth, identifier or free text: only the employer's name as IT typed
//! it, the period, counts and means.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate};
use chrono_tz::Europe::Amsterdam;
use kluis_document::{Block, Document, Table};
use kluis_protocol::records::{
    ConsultKind, ConsultStatus, NoteStatus, NoteTemplate, Visibility, who5_score,
};
use kluis_protocol::{Record, RecordKind};

use crate::error::{ServerError, ServerResult};
use crate::store::Store;

/// The smallest number of clients a published figure may come from.
pub const MINIMUM_CLIENTS: usize = 5;

const KINDS: [ConsultKind; 4] = [
    ConsultKind::Video,
    ConsultKind::Phone,
    ConsultKind::GroupSession,
    ConsultKind::SelfCheckIn,
];

/// A published figure, or the fact that it is withheld.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<T> {
    Shown(T),
    Suppressed,
}

impl<T: std::fmt::Display> Cell<T> {
    fn text(&self, suppressed: &str) -> String {
        match self {
            Cell::Shown(value) => value.to_string(),
            Cell::Suppressed => suppressed.to_owned(),
        }
    }
}

/// The change in WHO-5 wellbeing of the clients measured twice or more.
#[derive(Debug, Clone, PartialEq)]
pub struct WellbeingChange {
    pub clients_measured: Cell<usize>,
    /// Means over the measured clients, one decimal.
    pub mean_first: Cell<f64>,
    pub mean_last: Cell<f64>,
    pub mean_change: Cell<f64>,
    pub improved: Cell<usize>,
    pub unchanged: Cell<usize>,
    pub declined: Cell<usize>,
}

/// An employer report, ready to be written as CSV or PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct EmployerReport {
    pub employer: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Clients with at least one completed consult in the period.
    pub clients_served: Cell<usize>,
    pub consults_by_kind: Vec<(ConsultKind, Cell<usize>)>,
    pub consults_total: Cell<usize>,
    pub wellbeing: WellbeingChange,
}

/// One cell before disclosure control: its value and the clients it comes from.
#[derive(Debug, Clone)]
struct Raw {
    value: usize,
    clients: BTreeSet<String>,
}

/// Suppresses the cells of a group whose total is published, as the module
/// says; returns which cells are suppressed and whether the total must be.
fn suppress_group(cells: &[Raw]) -> (Vec<bool>, bool) {
    let mut suppressed: Vec<bool> = cells
        .iter()
        .map(|cell| cell.value > 0 && cell.clients.len() < MINIMUM_CLIENTS)
        .collect();
    if !suppressed.iter().any(|hidden| *hidden) {
        return (suppressed, false);
    }
    loop {
        let hidden: Vec<&Raw> = cells
            .iter()
            .zip(&suppressed)
            .filter(|(_, hidden)| **hidden)
            .map(|(cell, _)| cell)
            .collect();
        let clients: BTreeSet<&String> = hidden.iter().flat_map(|cell| &cell.clients).collect();
        if hidden.len() >= 2 && clients.len() >= MINIMUM_CLIENTS {
            return (suppressed, false);
        }
        // The next smallest cell that still says something goes too.
        let next = cells
            .iter()
            .enumerate()
            .filter(|(index, cell)| !suppressed[*index] && cell.value > 0)
            .min_by_key(|(_, cell)| cell.value)
            .map(|(index, _)| index);
        match next {
            Some(index) => suppressed[index] = true,
            None => return (suppressed, true),
        }
    }
}

fn local_date(instant: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(instant)
        .ok()
        .map(|time| time.with_timezone(&Amsterdam).date_naive())
}

fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Makes the report from what the store holds now.
pub fn employer_report<S: Store>(
    store: &S,
    employer: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> ServerResult<EmployerReport> {
    if to < from {
        return Err(ServerError::Invalid(
            "the period ends before it starts".to_owned(),
        ));
    }
    let wanted = employer.trim().to_lowercase();
    if wanted.is_empty() {
        return Err(ServerError::Invalid("name an employer".to_owned()));
    }
    let in_period = |instant: &str| local_date(instant).is_some_and(|day| from <= day && day <= to);

    let cohort: BTreeSet<String> = store
        .live_records(RecordKind::Client)?
        .into_iter()
        .filter_map(|record| match record {
            Record::Client(client)
                if client.employer_reporting_opt_in
                    && !client.restricted
                    && client
                        .employer
                        .as_deref()
                        .is_some_and(|name| name.trim().to_lowercase() == wanted) =>
            {
                Some(client.id)
            }
            _ => None,
        })
        .collect();

    let mut by_kind: BTreeMap<usize, Raw> = BTreeMap::new();
    let mut served = BTreeSet::new();
    for record in store.live_records(RecordKind::Consult)? {
        let Record::Consult(consult) = record else {
            continue;
        };
        if consult.status != ConsultStatus::Completed || !in_period(&consult.starts_at) {
            continue;
        }
        let ours: Vec<&String> = consult
            .client_ids
            .iter()
            .filter(|id| cohort.contains(*id))
            .collect();
        if ours.is_empty() {
            continue;
        }
        let index = KINDS
            .iter()
            .position(|kind| *kind == consult.kind)
            .unwrap_or(0);
        let cell = by_kind.entry(index).or_insert_with(|| Raw {
            value: 0,
            clients: BTreeSet::new(),
        });
        cell.value += 1;
        for id in ours {
            cell.clients.insert(id.clone());
            served.insert(id.clone());
        }
    }

    // WHO-5 scores per served client, in the order they were signed.
    let mut scores: BTreeMap<String, Vec<(String, u8)>> = BTreeMap::new();
    for record in store.live_records(RecordKind::Note)? {
        let Record::Note(note) = record else {
            continue;
        };
        if note.template != NoteTemplate::LifestyleCheckIn
            || note.status != NoteStatus::Signed
            || note.visibility != Visibility::CareTeam
            || !served.contains(&note.client_id)
        {
            continue;
        }
        let Some(signed_at) = note.signed_at.clone() else {
            continue;
        };
        if !in_period(&signed_at) {
            continue;
        }
        if let Some(score) = who5_score(
            note.sections
                .iter()
                .map(|section| (section.key.as_str(), section.text.as_str())),
        ) {
            // Records arrive in feed order, so a stable sort by time keeps
            // notes signed in the same second in the order they were signed.
            scores
                .entry(note.client_id.clone())
                .or_default()
                .push((signed_at, score));
        }
    }

    let enough = served.len() >= MINIMUM_CLIENTS;
    let cells: Vec<Raw> = (0..KINDS.len())
        .map(|index| {
            by_kind.remove(&index).unwrap_or(Raw {
                value: 0,
                clients: BTreeSet::new(),
            })
        })
        .collect();
    let total: usize = cells.iter().map(|cell| cell.value).sum();
    let (hidden, hide_total) = suppress_group(&cells);
    let hide_total = hide_total || gives_back_a_cell(&cells, &hidden);
    let consults_by_kind = KINDS
        .iter()
        .zip(cells.iter().zip(&hidden))
        .map(|(kind, (cell, hidden))| {
            let shown = enough && !hidden;
            (
                *kind,
                if shown {
                    Cell::Shown(cell.value)
                } else {
                    Cell::Suppressed
                },
            )
        })
        .collect();
    let consults_total = if enough && !hide_total {
        Cell::Shown(total)
    } else {
        Cell::Suppressed
    };

    let changes: Vec<(String, u8, u8)> = scores
        .into_iter()
        .filter_map(|(client, mut measured)| {
            measured.sort_by(|a, b| a.0.cmp(&b.0));
            let first = measured.first()?.1;
            let last = measured.last()?.1;
            (measured.len() >= 2).then_some((client, first, last))
        })
        .collect();
    let wellbeing = wellbeing_change(&changes, served.len());

    Ok(EmployerReport {
        employer: employer.trim().to_owned(),
        from,
        to,
        clients_served: if enough {
            Cell::Shown(served.len())
        } else {
            Cell::Suppressed
        },
        consults_by_kind,
        consults_total,
        wellbeing,
    })
}

/// Whether the total of a group, with its shown cells, would pin down the
/// suppressed ones. Every suppressed cell is at least 1 (empty cells are
/// shown as 0), so suppressed cells summing to fewer than five leave too
/// little room: two cells summing to 2 are both 1. The total then goes too.
fn gives_back_a_cell(cells: &[Raw], hidden: &[bool]) -> bool {
    let hidden_sum: usize = cells
        .iter()
        .zip(hidden)
        .filter(|(_, hidden)| **hidden)
        .map(|(cell, _)| cell.value)
        .sum();
    hidden.iter().any(|hidden| *hidden) && hidden_sum < MINIMUM_CLIENTS
}

fn wellbeing_change(changes: &[(String, u8, u8)], served: usize) -> WellbeingChange {
    let measured = changes.len();
    // The clients served but not measured are a group of their own: fewer
    // than five of them would be given back by "served minus measured".
    let unmeasured = served.saturating_sub(measured);
    if measured < MINIMUM_CLIENTS || (1..MINIMUM_CLIENTS).contains(&unmeasured) {
        return WellbeingChange {
            clients_measured: Cell::Suppressed,
            mean_first: Cell::Suppressed,
            mean_last: Cell::Suppressed,
            mean_change: Cell::Suppressed,
            improved: Cell::Suppressed,
            unchanged: Cell::Suppressed,
            declined: Cell::Suppressed,
        };
    }
    let count = measured as f64;
    let mean_first = changes
        .iter()
        .map(|(_, first, _)| f64::from(*first))
        .sum::<f64>()
        / count;
    let mean_last = changes
        .iter()
        .map(|(_, _, last)| f64::from(*last))
        .sum::<f64>()
        / count;
    let group = |keep: fn(u8, u8) -> bool| {
        let clients: BTreeSet<String> = changes
            .iter()
            .filter(|(_, first, last)| keep(*first, *last))
            .map(|(client, _, _)| client.clone())
            .collect();
        Raw {
            value: clients.len(),
            clients,
        }
    };
    let cells = [
        group(|first, last| last > first),
        group(|first, last| last == first),
        group(|first, last| last < first),
    ];
    let (hidden, _) = suppress_group(&cells);
    // The three groups' total is the number measured, which is shown: a
    // group it would give back goes with the others.
    let hidden = if gives_back_a_cell(&cells, &hidden) {
        vec![true; cells.len()]
    } else {
        hidden
    };
    let cell = |index: usize| {
        if hidden[index] {
            Cell::Suppressed
        } else {
            Cell::Shown(cells[index].value)
        }
    };
    WellbeingChange {
        clients_measured: Cell::Shown(measured),
        mean_first: Cell::Shown(one_decimal(mean_first)),
        mean_last: Cell::Shown(one_decimal(mean_last)),
        mean_change: Cell::Shown(one_decimal(mean_last - mean_first)),
        improved: cell(0),
        unchanged: cell(1),
        declined: cell(2),
    }
}

/// The language of a written report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Dutch,
    English,
}

struct Words {
    title: &'static str,
    period: &'static str,
    rule: &'static str,
    too_few: &'static str,
    suppressed: &'static str,
    served: &'static str,
    consults: &'static str,
    kinds: [&'static str; 4],
    total: &'static str,
    wellbeing: &'static str,
    wellbeing_intro: &'static str,
    measured: &'static str,
    mean_first: &'static str,
    mean_last: &'static str,
    mean_change: &'static str,
    improved: &'static str,
    unchanged: &'static str,
    declined: &'static str,
    figure: &'static str,
    value: &'static str,
    page: (&'static str, &'static str),
}

const DUTCH: Words = Words {
    title: "Rapportage aan werkgever",
    period: "Periode",
    rule: "Alleen cliënten die toestemming gaven voor deze rapportage en van wie de verwerking niet is beperkt. Alleen totalen: geen namen, cliëntcodes, geboortedata of vrije tekst. Een getal dat van minder dan 5 cliënten komt, is weggelaten, net als getallen waarmee het uit een totaal terug te rekenen zou zijn.",
    too_few: "Minder dan 5 cliënten: er kan niets worden gerapporteerd.",
    suppressed: "weggelaten",
    served: "Cliënten geholpen",
    consults: "Afgeronde consulten",
    kinds: [
        "Videoconsult",
        "Telefonisch consult",
        "OpenUp Space-groepssessie",
        "Zelf-check-in",
    ],
    total: "Totaal",
    wellbeing: "Welzijn (WHO-5)",
    wellbeing_intro: "De WHO-5-welzijnsindex (0-100) van cliënten die in de periode twee keer of vaker zijn gemeten: de eerste en de laatste meting.",
    measured: "Cliënten gemeten",
    mean_first: "Gemiddelde eerste score",
    mean_last: "Gemiddelde laatste score",
    mean_change: "Gemiddelde verandering",
    improved: "Verbeterd",
    unchanged: "Gelijk gebleven",
    declined: "Verslechterd",
    figure: "Onderdeel",
    value: "Aantal",
    page: ("Pagina", "van"),
};

const ENGLISH: Words = Words {
    title: "Report to employer",
    period: "Period",
    rule: "Only clients who consented to this report and whose processing is not restricted. Only aggregates: no names, client codes, dates of birth or free text. A figure that comes from fewer than 5 clients is left out, as are figures from which it could be worked out from a total.",
    too_few: "Fewer than 5 clients: nothing can be reported.",
    suppressed: "suppressed",
    served: "Clients served",
    consults: "Completed consults",
    kinds: [
        "Video consult",
        "Phone consult",
        "OpenUp Space group session",
        "Self check-in",
    ],
    total: "Total",
    wellbeing: "Wellbeing (WHO-5)",
    wellbeing_intro: "The WHO-5 wellbeing index (0-100) of clients measured twice or more in the period: the first and the last measurement.",
    measured: "Clients measured",
    mean_first: "Mean first score",
    mean_last: "Mean last score",
    mean_change: "Mean change",
    improved: "Improved",
    unchanged: "Unchanged",
    declined: "Declined",
    figure: "Figure",
    value: "Value",
    page: ("Page", "of"),
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::Dutch => &DUTCH,
        Language::English => &ENGLISH,
    }
}

/// One field of a CSV line, quoted when it needs to be (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

impl EmployerReport {
    /// The report's figures as (section, figure, value) rows, in `language`.
    fn rows(&self, language: Language) -> Vec<(&'static str, String, String)> {
        let words = words(language);
        let gone = words.suppressed;
        let mut rows = vec![(
            words.served,
            words.served.to_owned(),
            self.clients_served.text(gone),
        )];
        for ((_, cell), name) in self.consults_by_kind.iter().zip(words.kinds) {
            rows.push((words.consults, name.to_owned(), cell.text(gone)));
        }
        rows.push((
            words.consults,
            words.total.to_owned(),
            self.consults_total.text(gone),
        ));
        let wellbeing = &self.wellbeing;
        for (name, value) in [
            (words.measured, wellbeing.clients_measured.text(gone)),
            (words.mean_first, wellbeing.mean_first.text(gone)),
            (words.mean_last, wellbeing.mean_last.text(gone)),
            (words.mean_change, wellbeing.mean_change.text(gone)),
            (words.improved, wellbeing.improved.text(gone)),
            (words.unchanged, wellbeing.unchanged.text(gone)),
            (words.declined, wellbeing.declined.text(gone)),
        ] {
            rows.push((words.wellbeing, name.to_owned(), value));
        }
        rows
    }

    /// The report as CSV: a header, the employer and period, then one line
    /// per figure.
    pub fn to_csv(&self, language: Language) -> String {
        let words = words(language);
        let mut lines = vec![
            format!("{},{},{}", "section", "figure", "value"),
            format!(
                "{},{},{}",
                csv_field(words.title),
                csv_field(words.period),
                csv_field(&format!("{} - {}", self.from, self.to))
            ),
            format!(
                "{},{},{}",
                csv_field(words.title),
                "employer",
                csv_field(&self.employer)
            ),
        ];
        for (section, figure, value) in self.rows(language) {
            lines.push(format!(
                "{},{},{}",
                csv_field(section),
                csv_field(&figure),
                csv_field(&value)
            ));
        }
        lines.join("\n") + "\n"
    }

    /// The report as a readable document.
    pub fn to_document(&self, language: Language) -> Document {
        let words = words(language);
        let mut blocks = vec![
            Block::Title(format!("{}: {}", words.title, self.employer)),
            Block::Fields(vec![(
                words.period.to_owned(),
                format!(
                    "{} - {}",
                    self.from.format("%d-%m-%Y"),
                    self.to.format("%d-%m-%Y")
                ),
            )]),
            Block::Remark(words.rule.to_owned()),
        ];
        if self.clients_served == Cell::Suppressed {
            blocks.push(Block::Paragraph(words.too_few.to_owned()));
        }
        let rows = self.rows(language);
        for section in [words.served, words.consults, words.wellbeing] {
            blocks.push(Block::Heading(section.to_owned()));
            if section == words.wellbeing {
                blocks.push(Block::Paragraph(words.wellbeing_intro.to_owned()));
            }
            blocks.push(Block::Table(Table {
                header: vec![words.figure.to_owned(), words.value.to_owned()],
                rows: rows
                    .iter()
                    .filter(|(row_section, _, _)| *row_section == section)
                    .map(|(_, figure, value)| vec![figure.clone(), value.clone()])
                    .collect(),
            }));
        }
        Document {
            title: format!("{}: {}", words.title, self.employer),
            footer: format!("Kluis - {} - {} - {}", words.title, self.from, self.to),
            page_words: (words.page.0.to_owned(), words.page.1.to_owned()),
            blocks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(value: usize, clients: &[&str]) -> Raw {
        Raw {
            value,
            clients: clients.iter().map(|client| (*client).to_owned()).collect(),
        }
    }

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        let cells = [
            raw(40, &["a", "b", "c", "d", "e", "f"]),
            raw(30, &["a", "b", "c", "d", "g"]),
            raw(2, &["h"]),
            raw(0, &[]),
        ];
        let (hidden, total) = suppress_group(&cells);
        assert_eq!(hidden, [false, true, true, false]);
        assert!(!total);
    }

    #[test]
    fn when_no_cell_can_cover_the_small_one_the_total_goes() {
        let cells = [raw(3, &["a"]), raw(0, &[]), raw(0, &[]), raw(0, &[])];
        let (hidden, total) = suppress_group(&cells);
        assert_eq!(hidden, [true, false, false, false]);
        assert!(total, "the total would be the small cell itself");
    }

    #[test]
    fn two_small_cells_from_too_few_clients_take_a_third() {
        let cells = [
            raw(1, &["a"]),
            raw(2, &["b"]),
            raw(9, &["c", "d", "e", "f", "g"]),
        ];
        let (hidden, total) = suppress_group(&cells);
        assert_eq!(hidden, [true, true, true]);
        // The total then gives only the sum of all three, from seven clients.
        assert!(!total);
    }

    #[test]
    fn suppressed_cells_that_would_each_be_one_take_the_total_with_them() {
        // One self check-in of one client and one group session: hidden
        // together they come from seven clients, but they sum to 2, so the
        // total would show each is exactly 1.
        let cells = [
            raw(40, &["a", "b", "c", "d", "e", "f", "g", "h"]),
            raw(30, &["a", "b", "c", "d", "e", "f"]),
            raw(1, &["a", "b", "c", "d", "e", "f"]),
            raw(1, &["z"]),
        ];
        let (hidden, total) = suppress_group(&cells);
        assert_eq!(hidden, [false, false, true, true]);
        assert!(!total);
        assert!(gives_back_a_cell(&cells, &hidden));
        let wider = [raw(5, &["a", "b", "c", "d", "e"]), raw(1, &["z"])];
        let (hidden, _) = suppress_group(&wider);
        assert!(
            !gives_back_a_cell(&wider, &hidden),
            "6 over two cells: 1 to 5 each"
        );
    }

    #[test]
    fn a_small_group_of_unmeasured_clients_hides_the_wellbeing_figures() {
        let changes: Vec<(String, u8, u8)> = (0..5)
            .map(|index| (format!("client-{index}"), 40, 60))
            .collect();
        assert_eq!(
            wellbeing_change(&changes, 5).clients_measured,
            Cell::Shown(5)
        );
        assert_eq!(
            wellbeing_change(&changes, 10).clients_measured,
            Cell::Shown(5)
        );
        for served in 6..10 {
            assert_eq!(
                wellbeing_change(&changes, served).mean_change,
                Cell::Suppressed,
                "{served} served, 5 measured"
            );
        }
    }

    #[test]
    fn csv_fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(csv_field("Acme, B.V."), "\"Acme, B.V.\"");
        assert_eq!(csv_field("De \"Kluis\""), "\"De \"\"Kluis\"\"\"");
        assert_eq!(csv_field("Acme"), "Acme");
    }
}
