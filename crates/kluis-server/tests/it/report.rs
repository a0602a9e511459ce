//! The employer report on both back ends, from records pushed by a real
//! device: who is counted (opted in, not restricted, this employer), cells
//! from fewer than five clients suppressed, a small cell that the total
//! would give back suppressed with a partner, and no name, code, birth year
//! or free text in the CSV or the PDF.

use kluis_protocol::records::{
    ClientRecord, ConsultKind, ConsultRecord, ConsultStatus, NoteSection, NoteStatus, NoteTemplate,
    Role as WireRole, Visibility, WHO5_ITEMS,
};
use kluis_protocol::{Outcome, Record};
use kluis_server::postgres::PostgresStore;
use kluis_server::report::{Cell, EmployerReport, Language, employer_report};
use kluis_server::sqlite::SqliteStore;
use kluis_testkit::on_both_back_ends;

use crate::admin::admin;
use crate::support::{Backend, TestStore, off_runtime};
use crate::sync::{Device, note_record, upsert};

const EMPLOYER: &str = "Acme Zorg B.V.";

/// Names, codes and other details of the fixture's clients that must never
/// appear in a report.
const SECRETS: [&str; 5] = ["Verbeek", "Saskia", "C-RPT", "1977", "Slaapt"];

fn client(index: usize, employer: &str, opted_in: bool, restricted: bool) -> Record {
    Record::Client(ClientRecord {
        id: format!("report-client-{index}"),
        client_code: format!("C-RPT{index}"),
        first_name: format!("Saskia{index}"),
        last_name: Some(format!("Verbeek{index}")),
        email: format!("saskia{index}@example.nl"),
        birth_year: 1977,
        phone: "06 1111 2222".to_owned(),
        employer: Some(employer.to_owned()),
        care_start: "2026-01-05".to_owned(),
        care_end: None,
        remarks: "Slaapt slecht.".to_owned(),
        health_data_consent_date: "2026-01-05".to_owned(),
        employer_reporting_opt_in: opted_in,
        employer_reporting_date: opted_in.then(|| "2026-01-05".to_owned()),
        restricted,
        health_data_consent_withdrawn: None,
        privacy_log: Vec::new(),
    })
}

fn consult(id: &str, client: usize, kind: ConsultKind) -> Record {
    Record::Consult(ConsultRecord {
        id: id.to_owned(),
        client_ids: vec![format!("report-client-{client}")],
        practitioner_id: "anna".to_owned(),
        kind,
        starts_at: "2026-11-20T09:00:00Z".to_owned(),
        duration_minutes: 50,
        status: ConsultStatus::Completed,
        series_id: None,
        link: None,
    })
}

fn check_in(id: &str, client: usize, answers: [&str; 5]) -> Record {
    let Record::Note(mut note) = note_record(
        id,
        ("anna", WireRole::Psychologist),
        NoteTemplate::LifestyleCheckIn,
        Visibility::CareTeam,
        NoteStatus::Signed,
    ) else {
        unreachable!("note_record makes notes")
    };
    note.client_id = format!("report-client-{client}");
    note.sections = NoteTemplate::LifestyleCheckIn
        .section_keys()
        .iter()
        .map(|key| NoteSection {
            key: (*key).to_owned(),
            text: WHO5_ITEMS
                .iter()
                .position(|item| item == key)
                .map_or("Slaapt beter.", |index| answers[index])
                .to_owned(),
        })
        .collect();
    note.content_hash = Some(note.signed_content().hash());
    Record::Note(note)
}

async fn push(device: &Device, records: Vec<Record>) {
    for record in records {
        let outcome = device.push_one(upsert(record, None)).await;
        assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    }
}

fn report<S: Backend>(store: &TestStore<S>) -> EmployerReport {
    let day = |text| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day");
    off_runtime(|| {
        employer_report(
            &*store.store,
            EMPLOYER,
            day("2026-01-01"),
            day("2030-12-31"),
        )
    })
    .expect("report")
}

fn kind(report: &EmployerReport, wanted: ConsultKind) -> Cell<usize> {
    report
        .consults_by_kind
        .iter()
        .find(|(kind, _)| *kind == wanted)
        .map(|(_, cell)| *cell)
        .expect("kind")
}

async fn only_opted_in_unrestricted_clients_of_the_employer_count_and_small_cells_are_suppressed<
    S: Backend,
>() {
    let store = TestStore::<S>::start().await;
    let anna = Device::new(&store, "anna-laptop", "anna");
    // Four opted-in clients, one restricted, one who withdrew, one of
    // another employer: each with a completed video consult.
    push(
        &anna,
        vec![
            client(1, EMPLOYER, true, false),
            client(2, EMPLOYER, true, false),
            client(3, "acme zorg b.v. ", true, false),
            client(4, EMPLOYER, true, false),
            client(6, EMPLOYER, true, false),
            client(7, EMPLOYER, false, false),
            client(8, "Andere Werkgever", true, false),
        ],
    )
    .await;
    for index in [1, 2, 3, 4, 6, 7, 8] {
        push(
            &anna,
            vec![consult(
                &format!("video-{index}"),
                index,
                ConsultKind::Video,
            )],
        )
        .await;
    }
    // The sixth client's record is restricted after its consult.
    let restricted = anna
        .push_one(upsert(client(6, EMPLOYER, true, true), Some(1)))
        .await;
    assert!(
        matches!(restricted, Outcome::Applied { .. }),
        "{restricted:?}"
    );

    let four = report(&store);
    assert_eq!(
        four.clients_served,
        Cell::Suppressed,
        "four clients: {four:?}"
    );
    assert_eq!(four.consults_total, Cell::Suppressed);
    assert!(
        four.consults_by_kind
            .iter()
            .all(|(_, cell)| *cell == Cell::Suppressed)
    );

    // The fifth client makes the cohort reportable; the restricted, the
    // withdrawn and the other employer's clients are still not counted.
    push(&anna, vec![client(5, EMPLOYER, true, false)]).await;
    push(&anna, vec![consult("video-5", 5, ConsultKind::Video)]).await;
    let five = report(&store);
    assert_eq!(five.clients_served, Cell::Shown(5), "{five:?}");
    assert_eq!(kind(&five, ConsultKind::Video), Cell::Shown(5));
    assert_eq!(five.consults_total, Cell::Shown(5));

    // One phone consult: a cell of one client. Suppressing it alone would
    // leave it as the total minus the video consults, so the video cell goes
    // too; what is left cannot give either back.
    push(&anna, vec![consult("phone-1", 1, ConsultKind::Phone)]).await;
    let small = report(&store);
    assert_eq!(kind(&small, ConsultKind::Phone), Cell::Suppressed);
    assert_eq!(kind(&small, ConsultKind::Video), Cell::Suppressed);
    let Cell::Shown(total) = small.consults_total else {
        panic!("the total stays: {small:?}")
    };
    assert_eq!(total, 6);
    let shown: usize = small
        .consults_by_kind
        .iter()
        .filter_map(|(_, cell)| match cell {
            Cell::Shown(value) => Some(*value),
            Cell::Suppressed => None,
        })
        .sum();
    let hidden = small
        .consults_by_kind
        .iter()
        .filter(|(_, cell)| *cell == Cell::Suppressed)
        .count();
    assert!(
        hidden >= 2,
        "the total minus the shown cells ({}) is a sum of at least two cells",
        total - shown
    );

    // WHO-5: every client measured twice; three improve, one stays, one
    // declines. Five measured: the means are shown, the three small groups
    // are not.
    for (index, first, last) in [
        (1, ["2"; 5], ["3"; 5]),
        (2, ["1"; 5], ["3"; 5]),
        (3, ["2"; 5], ["4"; 5]),
        (4, ["3"; 5], ["3"; 5]),
        (5, ["4"; 5], ["2"; 5]),
    ] {
        push(
            &anna,
            vec![
                check_in(&format!("first-{index}"), index, first),
                check_in(&format!("last-{index}"), index, last),
            ],
        )
        .await;
    }
    let measured = report(&store);
    let wellbeing = &measured.wellbeing;
    assert_eq!(wellbeing.clients_measured, Cell::Shown(5));
    // First scores 40, 20, 40, 60, 80 (mean 48); last 60, 60, 80, 60, 40 (60).
    assert_eq!(wellbeing.mean_first, Cell::Shown(48.0));
    assert_eq!(wellbeing.mean_last, Cell::Shown(60.0));
    assert_eq!(wellbeing.mean_change, Cell::Shown(12.0));
    assert_eq!(wellbeing.improved, Cell::Suppressed);
    assert_eq!(wellbeing.unchanged, Cell::Suppressed);
    assert_eq!(wellbeing.declined, Cell::Suppressed);

    // Withdrawing the consent takes a client out of the next report at once.
    let mut withdrawn = client(5, EMPLOYER, false, false);
    if let Record::Client(record) = &mut withdrawn {
        record.employer_reporting_date = Some("2026-12-01".to_owned());
    }
    let outcome = anna.push_one(upsert(withdrawn, Some(1))).await;
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    let after = report(&store);
    assert_eq!(after.clients_served, Cell::Suppressed, "{after:?}");

    for language in [Language::Dutch, Language::English] {
        let csv = measured.to_csv(language);
        let pdf_text = pdf_text(&measured.to_document(language).to_pdf());
        for text in [&csv, &pdf_text] {
            for secret in SECRETS {
                assert!(!text.contains(secret), "{secret:?} in a report:\n{text}");
            }
        }
        assert!(csv.contains(EMPLOYER) && pdf_text.contains("Acme Zorg B.V."));
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let directory = tempfile::tempdir().expect("directory");
    let path = directory.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("write");
    let output = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("UTF-8")
}

on_both_back_ends!(
    only_opted_in_unrestricted_clients_of_the_employer_count_and_small_cells_are_suppressed,
);

#[tokio::test(flavor = "multi_thread")]
async fn kluis_admin_writes_the_report_as_csv_and_pdf() {
    let store = TestStore::<SqliteStore>::start().await;
    let anna = Device::new(&store, "anna-laptop", "anna");
    for index in 1..=5 {
        push(&anna, vec![client(index, EMPLOYER, true, false)]).await;
        push(
            &anna,
            vec![consult(
                &format!("video-{index}"),
                index,
                ConsultKind::Video,
            )],
        )
        .await;
    }
    let directory = store.directory.path().to_owned();
    let csv_path = directory.join("report.csv");
    let pdf_path = directory.join("report.pdf");
    let (ok, _, error) = admin(
        &directory,
        &[
            "report",
            "--employer",
            EMPLOYER,
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--csv",
            csv_path.to_str().expect("path"),
            "--pdf",
            pdf_path.to_str().expect("path"),
        ],
    );
    assert!(ok, "{error}");
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    assert!(
        csv.contains("Cliënten geholpen,Cliënten geholpen,5"),
        "{csv}"
    );
    assert!(csv.contains("Afgeronde consulten,Videoconsult,5"), "{csv}");
    assert!(csv.contains("\"Acme Zorg B.V.\"") || csv.contains("Acme Zorg B.V."));
    let text = pdf_text(&std::fs::read(&pdf_path).expect("pdf"));
    assert!(
        text.contains("Rapportage aan werkgever: Acme Zorg B.V."),
        "{text}"
    );
    for secret in SECRETS {
        assert!(
            !csv.contains(secret) && !text.contains(secret),
            "{secret:?}"
        );
    }

    // A period outside the consults gives nothing; a reversed period and a
    // malformed day are refused with a message.
    let (ok, out, _) = admin(
        &directory,
        &[
            "report",
            "--employer",
            EMPLOYER,
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
        ],
    );
    assert!(ok);
    assert!(
        out.contains("Cliënten geholpen,Cliënten geholpen,weggelaten"),
        "{out}"
    );
    let (ok, _, error) = admin(
        &directory,
        &[
            "report",
            "--employer",
            EMPLOYER,
            "--from",
            "2026-12-31",
            "--to",
            "2026-01-01",
        ],
    );
    assert!(!ok);
    assert!(
        error.contains("the period ends before it starts"),
        "{error}"
    );
    let (ok, _, error) = admin(
        &directory,
        &[
            "report",
            "--employer",
            EMPLOYER,
            "--from",
            "1-1-2026",
            "--to",
            "2026-01-31",
        ],
    );
    assert!(!ok);
    assert!(error.contains("expected a day as YYYY-MM-DD"), "{error}");
}
