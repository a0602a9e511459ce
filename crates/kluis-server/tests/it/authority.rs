//! The store is the authority on what it holds: colleagues on one care team
//! who push crafted records, deletes that break the rules, forged signatures,
//! references to records that are not theirs, and two devices racing on one
//! record. Every refusal is checked by its exact rule.

use kluis_protocol::records::{
    ConsultKind, ConsultRecord, ConsultStatus, NoteRecord, NoteStatus, NoteTemplate,
    Role as WireRole, Visibility,
};
use kluis_protocol::{Action, ChangePayload, Operation, Outcome, Record, RecordKind, RecordRef};
use kluis_protocol::{AddendumRecord, Refusal};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use uuid::Uuid;

use crate::support::{Backend, TestStore};
use crate::sync::{Device, care_team, client_record, note_record, rule_of, upsert};
use kluis_testkit::on_both_back_ends;

fn consult(id: &str, practitioner: &str, client_ids: &[&str], starts_at: &str) -> Record {
    Record::Consult(ConsultRecord {
        id: id.to_owned(),
        client_ids: client_ids.iter().map(|id| (*id).to_owned()).collect(),
        practitioner_id: practitioner.to_owned(),
        kind: ConsultKind::GroupSession,
        starts_at: starts_at.to_owned(),
        duration_minutes: 60,
        status: ConsultStatus::Planned,
        series_id: None,
        link: None,
    })
}

fn delete(kind: RecordKind, id: &str, base_version: u64) -> Operation {
    Operation {
        op_id: Uuid::new_v4(),
        action: Action::Delete {
            target: RecordRef {
                kind,
                id: id.to_owned(),
            },
            base_version,
        },
    }
}

/// The record with this id in the device's whole feed, as the store keeps it.
async fn stored(device: &Device, id: &str) -> Option<(u64, Record)> {
    device
        .pull(0)
        .await
        .changes
        .into_iter()
        .find_map(|change| match change.payload {
            ChangePayload::Record { record } if record.reference().id == id => {
                Some((change.version, *record))
            }
            _ => None,
        })
}

fn as_note(record: Record) -> NoteRecord {
    match record {
        Record::Note(note) => note,
        other => panic!("not a note: {other:?}"),
    }
}

/// Anna's client-1 with Bram (psychologist) assigned too, and Anna's consult
/// for it that Bram's device has received.
async fn shared_client<S: Backend>() -> (TestStore<S>, Device, Device) {
    let (store, anna, _lotte, bram) = care_team::<S>().await;
    store.assign("client-1", "bram");
    assert_eq!(
        anna.push_one(upsert(
            consult("consult-1", "anna", &["client-1"], "2026-12-02T09:00:00Z"),
            None
        ))
        .await,
        Outcome::Applied { version: 1 }
    );
    assert!(stored(&bram, "consult-1").await.is_some(), "Bram sees it");
    (store, anna, bram)
}

async fn a_colleague_can_neither_take_over_nor_delete_a_consult<S: Backend>() {
    let (_store, anna, bram) = shared_client::<S>().await;
    let taken_over = consult("consult-1", "bram", &["client-1"], "2026-12-03T15:00:00Z");
    assert_eq!(
        rule_of(bram.push_one(upsert(taken_over, Some(1))).await),
        Refusal::NotTheConsultsPractitioner,
        "Bram may not make Anna's consult his"
    );
    let moved = consult("consult-1", "anna", &["client-1"], "2026-12-03T15:00:00Z");
    assert_eq!(
        rule_of(bram.push_one(upsert(moved, Some(1))).await),
        Refusal::NotTheConsultsPractitioner,
        "nor move it while leaving her name on it"
    );
    assert_eq!(
        rule_of(
            bram.push_one(delete(RecordKind::Consult, "consult-1", 1))
                .await
        ),
        Refusal::NotTheConsultsPractitioner,
        "nor delete it"
    );
    let (version, record) = stored(&anna, "consult-1").await.expect("still there");
    assert_eq!(version, 1);
    assert_eq!(
        record,
        consult("consult-1", "anna", &["client-1"], "2026-12-02T09:00:00Z")
    );
    // Anna herself still can.
    assert_eq!(
        anna.push_one(delete(RecordKind::Consult, "consult-1", 1))
            .await,
        Outcome::Applied { version: 2 }
    );
}

async fn a_consult_needs_clients_that_exist_and_are_the_practitioners<S: Backend>() {
    let (store, anna, _lotte, bram) = care_team::<S>().await;
    // Assigned by IT, but no client record was ever written.
    store.assign("ghost", "anna");
    assert_eq!(
        rule_of(
            anna.push_one(upsert(
                consult(
                    "c-ghost",
                    "anna",
                    &["client-1", "ghost"],
                    "2026-12-02T09:00:00Z"
                ),
                None
            ))
            .await
        ),
        Refusal::NotFound
    );
    assert_eq!(
        rule_of(
            bram.push_one(upsert(
                consult("c-bram", "bram", &["client-1"], "2026-12-02T09:00:00Z"),
                None
            ))
            .await
        ),
        Refusal::NotFound,
        "a client one is not assigned to reads as not found"
    );
}

async fn a_note_may_only_point_at_a_consult_of_its_own_client<S: Backend>() {
    let (store, anna, _lotte, bram) = care_team::<S>().await;
    assert_eq!(
        anna.push_one(upsert(client_record("client-2", "Sem"), None))
            .await,
        Outcome::Applied { version: 1 }
    );
    store.assign("client-1", "bram");
    for (id, client) in [("consult-1", "client-1"), ("consult-2", "client-2")] {
        anna.push_one(upsert(
            consult(id, "anna", &[client], "2026-12-02T09:00:00Z"),
            None,
        ))
        .await;
    }
    let with_consult = |author: (&str, WireRole), id: &str, consult_id: &str| {
        let Record::Note(mut note) = note_record(
            id,
            author,
            NoteTemplate::Soap,
            Visibility::CareTeam,
            NoteStatus::Draft,
        ) else {
            unreachable!()
        };
        note.consult_id = Some(consult_id.to_owned());
        upsert(Record::Note(note), None)
    };
    let anna_author = ("anna", WireRole::Psychologist);
    assert_eq!(
        rule_of(
            anna.push_one(with_consult(anna_author, "n-1", "consult-2"))
                .await
        ),
        Refusal::ConsultOfAnotherClient
    );
    assert_eq!(
        rule_of(
            anna.push_one(with_consult(anna_author, "n-2", "nowhere"))
                .await
        ),
        Refusal::NotFound
    );
    assert_eq!(
        rule_of(
            bram.push_one(with_consult(
                ("bram", WireRole::Psychologist),
                "n-3",
                "consult-2"
            ))
            .await
        ),
        Refusal::NotFound,
        "a consult of a client Bram is not assigned to does not exist for him"
    );
    assert_eq!(
        anna.push_one(with_consult(anna_author, "n-4", "consult-1"))
            .await,
        Outcome::Applied { version: 1 }
    );
}

async fn the_store_writes_who_signed_and_when_and_checks_the_hash<S: Backend>() {
    let (_store, anna, bram) = shared_client::<S>().await;
    let Record::Note(mut forged) = note_record(
        "forged",
        ("bram", WireRole::Psychologist),
        NoteTemplate::Soap,
        Visibility::CareTeam,
        NoteStatus::Signed,
    ) else {
        unreachable!()
    };
    forged.author_name = "Anna de Vries".to_owned();
    forged.signed_by = Some("Anna de Vries".to_owned());
    forged.created_at = "2020-01-06T09:00:00Z".to_owned();
    forged.signed_at = Some("2020-01-06T10:00:00Z".to_owned());
    forged.content_hash = Some("0".repeat(64));
    assert_eq!(
        rule_of(
            bram.push_one(upsert(Record::Note(forged.clone()), None))
                .await
        ),
        Refusal::ContentHashMismatch
    );

    // With a hash that matches its content, the note is taken, but the store
    // writes the signer, the author's name and the times itself.
    forged.content_hash = Some(forged.signed_content().hash());
    let before = chrono::Utc::now() - chrono::Duration::seconds(5);
    assert_eq!(
        bram.push_one(upsert(Record::Note(forged.clone()), None))
            .await,
        Outcome::Applied { version: 1 }
    );
    let (_, record) = stored(&anna, "forged").await.expect("Anna receives it");
    let kept = as_note(record);
    assert_eq!(kept.author_name, "Bram Visser");
    assert_eq!(kept.signed_by.as_deref(), Some("Bram Visser"));
    for instant in [&kept.created_at, kept.signed_at.as_ref().expect("signed")] {
        let instant = chrono::DateTime::parse_from_rfc3339(instant).expect("an instant");
        assert!(instant >= before, "the store's clock, not 2020: {instant}");
    }
    assert_eq!(kept.sections, forged.sections);
    assert_eq!(kept.content_hash, forged.content_hash);

    // An addendum's author and time are the store's too.
    let addendum = AddendumRecord {
        id: "addendum-1".to_owned(),
        note_id: "forged".to_owned(),
        author_id: "bram".to_owned(),
        author_name: "Anna de Vries".to_owned(),
        reason: "Aanvulling".to_owned(),
        text: "Ook besproken: slaap.".to_owned(),
        created_at: "2020-01-07T09:00:00Z".to_owned(),
    };
    assert_eq!(
        bram.push_one(upsert(Record::Addendum(addendum), None))
            .await,
        Outcome::Applied { version: 1 }
    );
    let Some((_, Record::Addendum(kept))) = stored(&anna, "addendum-1").await else {
        panic!("the addendum arrives");
    };
    assert_eq!(kept.author_name, "Bram Visser");
    assert_ne!(kept.created_at, "2020-01-07T09:00:00Z");
}

async fn deletes_follow_the_rules_of_writes<S: Backend>() {
    let (store, anna, _lotte, bram) = care_team::<S>().await;
    store.assign("client-1", "bram");
    let anna_author = ("anna", WireRole::Psychologist);
    for (id, status) in [("signed", NoteStatus::Signed), ("draft", NoteStatus::Draft)] {
        assert_eq!(
            anna.push_one(upsert(
                note_record(
                    id,
                    anna_author,
                    NoteTemplate::Soap,
                    Visibility::CareTeam,
                    status
                ),
                None
            ))
            .await,
            Outcome::Applied { version: 1 }
        );
    }
    let addendum = AddendumRecord {
        id: "addendum-1".to_owned(),
        note_id: "signed".to_owned(),
        author_id: "anna".to_owned(),
        author_name: "Anna de Vries".to_owned(),
        reason: "Typefout".to_owned(),
        text: "Twee weken, niet drie.".to_owned(),
        created_at: "2026-11-25T10:00:00Z".to_owned(),
    };
    assert_eq!(
        anna.push_one(upsert(Record::Addendum(addendum.clone()), None))
            .await,
        Outcome::Applied { version: 1 }
    );
    assert_eq!(
        rule_of(
            anna.push_one(upsert(Record::Addendum(addendum), None))
                .await
        ),
        Refusal::AddendumIsImmutable,
        "an addendum is written once"
    );

    assert_eq!(
        rule_of(anna.push_one(delete(RecordKind::Note, "signed", 1)).await),
        Refusal::SignedNoteIsImmutable
    );
    assert_eq!(
        rule_of(bram.push_one(delete(RecordKind::Note, "draft", 1)).await),
        Refusal::NotFound,
        "another author's draft does not exist for Bram"
    );
    assert_eq!(
        rule_of(
            anna.push_one(delete(RecordKind::Addendum, "addendum-1", 1))
                .await
        ),
        Refusal::AddendumIsImmutable
    );
    assert_eq!(
        rule_of(
            anna.push_one(delete(RecordKind::Client, "client-1", 1))
                .await
        ),
        Refusal::ClientsAreErasedNotDeleted
    );
    assert_eq!(
        rule_of(bram.push_one(delete(RecordKind::Client, "nobody", 1)).await),
        Refusal::NotFound
    );
    for id in ["signed", "draft", "addendum-1", "client-1"] {
        assert!(stored(&anna, id).await.is_some(), "{id} is still there");
    }
}

/// Two devices push competing versions of one record at the same moment,
/// many times: each push is applied or answered "conflict", exactly one of
/// each pair wins, and the store's version counts every win.
async fn concurrent_pushes_never_lose_a_change<S: Backend>() {
    let (store, anna, _lotte, _bram) = care_team::<S>().await;
    let anna_tablet = Device::new(&store, "anna-tablet", "anna");
    let rounds = 40;
    for round in 0..rounds {
        let base = round + 1;
        let (first, second) = tokio::join!(
            anna.push_one(upsert(
                client_record("client-1", &format!("Noor {round} laptop")),
                Some(base)
            )),
            anna_tablet.push_one(upsert(
                client_record("client-1", &format!("Noor {round} tablet")),
                Some(base)
            )),
        );
        let applied = [&first, &second]
            .iter()
            .filter(|outcome| matches!(outcome, Outcome::Applied { .. }))
            .count();
        let conflicts = [&first, &second]
            .iter()
            .filter(|outcome| matches!(outcome, Outcome::Conflict { .. }))
            .count();
        assert_eq!(
            (applied, conflicts),
            (1, 1),
            "round {round}: {first:?} / {second:?}"
        );
    }
    let (version, _) = stored(&anna, "client-1").await.expect("client");
    assert_eq!(version, rounds + 1, "every applied change is a version");
}

/// A page of large notes ends early, so that no response grows past what a
/// device reads; the rest follows in later pages.
async fn a_pull_page_is_capped_in_bytes<S: Backend>() {
    let (_store, anna, _lotte, _bram) = care_team::<S>().await;
    let large = "Woorden die blijven. ".repeat(2_300);
    for index in 0..60 {
        let Record::Note(mut note) = note_record(
            &format!("large-{index}"),
            ("anna", WireRole::Psychologist),
            NoteTemplate::Free,
            Visibility::CareTeam,
            NoteStatus::Draft,
        ) else {
            unreachable!()
        };
        note.sections[0].text.clone_from(&large);
        assert_eq!(
            anna.push_one(upsert(Record::Note(note), None)).await,
            Outcome::Applied { version: 1 }
        );
    }
    let first = anna.pull(0).await;
    let bytes: usize = first
        .changes
        .iter()
        .map(|change| serde_json::to_string(change).expect("json").len())
        .sum();
    assert!(first.changes.len() < 61, "{} changes", first.changes.len());
    assert!(
        bytes <= kluis_protocol::MAX_PULL_PAGE_BYTES + large.len() * 2,
        "{bytes} bytes"
    );
    assert!(first.more);
    assert_eq!(first.remaining as usize, 61 - first.changes.len());
    let mut received = first.changes.len();
    let mut cursor = first.cursor;
    loop {
        let page = anna.pull(cursor).await;
        received += page.changes.len();
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(received, 61, "the client and 60 notes, each once");
}

on_both_back_ends!(
    a_colleague_can_neither_take_over_nor_delete_a_consult,
    a_consult_needs_clients_that_exist_and_are_the_practitioners,
    a_note_may_only_point_at_a_consult_of_its_own_client,
    the_store_writes_who_signed_and_when_and_checks_the_hash,
    deletes_follow_the_rules_of_writes,
    concurrent_pushes_never_lose_a_change,
    a_pull_page_is_capped_in_bytes,
);
