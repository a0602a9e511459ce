//! The retention rule with a controlled clock, on both back ends and through
//! `kluis-admin`: who is due on which day, a dry run that changes nothing, a
//! run that erases through the erasure path (tombstones for the devices,
//! the store's own erasure with reason `retention`), restricted records
//! kept, and a second run that finds nothing more.

use chrono::NaiveDate;
use kluis_protocol::records::{NoteStatus, NoteTemplate, Role as WireRole, Visibility};
use kluis_protocol::{ChangePayload, ErasureReason, Outcome, Record, RecordKind, Refusal};
use kluis_server::postgres::PostgresStore;
use kluis_server::retention::{self, Outcome as Verdict};
use kluis_server::sqlite::SqliteStore;
use kluis_testkit::on_both_back_ends;

use crate::admin::admin;
use crate::support::{Backend, TestStore, off_runtime};
use crate::sync::{Device, client_record, note_record, rule_of, upsert};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day")
}

fn client(id: &str, care_end: Option<&str>, restricted: bool) -> Record {
    let Record::Client(mut client) = client_record(id, "Noor") else {
        unreachable!("client_record makes clients")
    };
    client.care_end = care_end.map(str::to_owned);
    client.restricted = restricted;
    Record::Client(client)
}

/// Four clients: care ended 2026-01-10 (due 2029-01-10), ended 2027-06-30,
/// still in care, and ended 2025-01-01 but restricted; the first with a note.
async fn clients_of_every_kind<S: Backend>() -> (TestStore<S>, Device) {
    let store = TestStore::<S>::start().await;
    let anna = Device::new(&store, "anna-laptop", "anna");
    for record in [
        client("ended-2026", Some("2026-01-10"), false),
        client("ended-2027", Some("2027-06-30"), false),
        client("in-care", None, false),
        client("restricted", Some("2025-01-01"), false),
    ] {
        let outcome = anna.push_one(upsert(record, None)).await;
        assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    }
    let Record::Note(mut note) = note_record(
        "note-ended",
        ("anna", WireRole::Psychologist),
        NoteTemplate::Free,
        Visibility::CareTeam,
        NoteStatus::Draft,
    ) else {
        unreachable!("note_record makes notes")
    };
    note.client_id = "ended-2026".to_owned();
    let outcome = anna.push_one(upsert(Record::Note(note), None)).await;
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    let restricted = anna
        .push_one(upsert(
            client("restricted", Some("2025-01-01"), true),
            Some(1),
        ))
        .await;
    assert!(
        matches!(restricted, Outcome::Applied { .. }),
        "{restricted:?}"
    );
    (store, anna)
}

fn verdicts<S: Backend>(store: &TestStore<S>, today: &str) -> Vec<(String, Verdict)> {
    off_runtime(|| retention::review(&*store.store, day(today), retention::DEFAULT_YEARS))
        .expect("review")
        .into_iter()
        .map(|verdict| (verdict.client_id, verdict.outcome))
        .collect()
}

fn live_clients<S: Backend>(store: &TestStore<S>) -> Vec<String> {
    off_runtime(|| store.store.live_records(RecordKind::Client))
        .expect("clients")
        .into_iter()
        .map(|record| record.reference().id)
        .collect()
}

async fn clients_are_erased_three_years_after_care_ends_and_restricted_ones_kept<S: Backend>() {
    let (store, anna) = clients_of_every_kind::<S>().await;

    // The day before: only the restricted client is past its term, and kept.
    assert_eq!(
        verdicts(&store, "2029-01-09"),
        [
            ("restricted".to_owned(), Verdict::KeptRestricted),
            ("ended-2026".to_owned(), Verdict::NotYet),
            ("ended-2027".to_owned(), Verdict::NotYet),
        ]
    );
    let on_the_day = verdicts(&store, "2029-01-10");
    assert_eq!(on_the_day[1], ("ended-2026".to_owned(), Verdict::Due));

    // A dry run is a review: nothing changes.
    assert_eq!(live_clients(&store).len(), 4);

    let cursor = anna.pull(0).await.cursor;
    let applied = off_runtime(|| {
        retention::apply(&*store.store, day("2029-01-10"), retention::DEFAULT_YEARS)
    })
    .expect("apply");
    assert_eq!(
        applied
            .iter()
            .filter(|verdict| verdict.outcome == Verdict::Due)
            .count(),
        1
    );
    let mut left = live_clients(&store);
    left.sort();
    assert_eq!(left, ["ended-2027", "in-care", "restricted"]);

    // The erasure is the store's own, for retention; the device that holds
    // the client is to apply it, and does at its next pull.
    let erasure = off_runtime(|| store.store.erasures())
        .expect("erasures")
        .into_iter()
        .find(|erasure| erasure.client_id == "ended-2026")
        .expect("recorded");
    assert_eq!(erasure.reason, ErasureReason::Retention);
    assert_eq!(erasure.device_id, None);
    assert_eq!((erasure.acknowledged, erasure.devices), (0, 1));
    let page = anna.pull(cursor).await;
    let tombstones: Vec<String> = page
        .changes
        .iter()
        .filter_map(|change| match &change.payload {
            ChangePayload::Tombstone { target } => Some(target.id.clone()),
            ChangePayload::Record { .. } => None,
        })
        .collect();
    assert!(
        tombstones.contains(&"ended-2026".to_owned()),
        "{tombstones:?}"
    );
    assert!(
        tombstones.contains(&"note-ended".to_owned()),
        "{tombstones:?}"
    );
    anna.pull(page.cursor).await;
    let erasure = off_runtime(|| store.store.erasures())
        .expect("erasures")
        .into_iter()
        .find(|erasure| erasure.client_id == "ended-2026")
        .expect("recorded");
    assert_eq!((erasure.acknowledged, erasure.devices), (1, 1));

    // Nothing brings the client back, and a second run finds nothing new.
    let revived = anna
        .push_one(upsert(
            client("ended-2026", Some("2026-01-10"), false),
            Some(1),
        ))
        .await;
    assert_eq!(rule_of(revived), Refusal::ClientErased);
    let again = off_runtime(|| {
        retention::apply(&*store.store, day("2029-01-10"), retention::DEFAULT_YEARS)
    })
    .expect("apply again");
    assert!(again.iter().all(|verdict| verdict.outcome != Verdict::Due));
}

on_both_back_ends!(clients_are_erased_three_years_after_care_ends_and_restricted_ones_kept);

#[tokio::test(flavor = "multi_thread")]
async fn kluis_admin_lists_a_dry_run_by_client_code_and_then_erases() {
    let (store, _anna) = clients_of_every_kind::<SqliteStore>().await;
    let directory = store.directory.path().to_owned();

    let (ok, out, summary) = admin(
        &directory,
        &["retention", "--dry-run", "--today", "2029-01-10"],
    );
    assert!(ok, "{summary}");
    assert!(
        out.contains("C-ENDED\t2026-01-10\t2029-01-10\terased"),
        "{out}"
    );
    assert!(
        out.contains("C-RESTR\t2025-01-01\t2028-01-01\tkept: restricted"),
        "{out}"
    );
    assert!(
        out.contains("C-ENDED\t2027-06-30\t2030-06-30\tnot yet"),
        "{out}"
    );
    assert!(
        !out.contains("Noor") && !out.contains("Visser"),
        "codes only: {out}"
    );
    assert!(
        summary.contains("1 of 3 clients whose care ended would be erased"),
        "{summary}"
    );
    assert!(summary.contains("nothing was changed"), "{summary}");
    assert_eq!(live_clients(&store).len(), 4, "a dry run changes nothing");

    // The WGBO's twenty years: nothing is due.
    let (ok, _, summary) = admin(
        &directory,
        &[
            "retention",
            "--dry-run",
            "--today",
            "2029-01-10",
            "--years",
            "20",
        ],
    );
    assert!(ok);
    assert!(summary.contains("0 of 3 clients"), "{summary}");

    let (ok, out, summary) = admin(&directory, &["retention", "--today", "2029-01-10"]);
    assert!(ok, "{summary}");
    assert!(
        out.contains("C-ENDED\t2026-01-10\t2029-01-10\terased now"),
        "{out}"
    );
    assert_eq!(live_clients(&store).len(), 3);
    let (_, erasures, _) = admin(&directory, &["erasures"]);
    assert!(
        erasures.contains("(the store)\tretention\terased on 0 of 1 devices"),
        "{erasures}"
    );

    let (ok, _, error) = admin(&directory, &["retention", "--years", "0"]);
    assert!(!ok);
    assert!(error.contains("a retention period of 0 years"), "{error}");
}
