//! Restriction of processing (AVG art. 18; SPEC §6), on a second device and
//! in the store, on both back ends: Anna restricts a client she shares with
//! Bram; on Bram's laptop the record is read-only (no note, no edit); a
//! draft Bram wrote before, sent afterwards, is refused by the store with its
//! own rule, as is a crafted change of the client; lifting the restriction
//! is the one change taken, and then Bram writes again.

use kluis_core::ErrorCode as CoreCode;
use kluis_core::record::notes::{NewNote, NoteTemplate, Visibility};
use kluis_protocol::{Action, ErrorCode, Operation, Outcome, Record, RecordKind, Refusal};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_testkit::{Backend, on_both_back_ends};

use crate::support::{sample_client, sections, shared_client};

fn new_note(client_id: &str) -> NewNote {
    NewNote {
        client_id: client_id.to_owned(),
        consult_id: None,
        template: NoteTemplate::Free,
        visibility: Visibility::CareTeam,
    }
}

async fn a_restricted_record_is_read_only_on_a_second_device_and_in_the_store<S: Backend>() {
    let (store, anna, bram, client) = shared_client::<S>().await;
    // Bram writes a draft, not sent yet.
    let draft = bram.kluis.create_note(new_note(&client.id)).expect("draft");
    bram.kluis
        .save_draft(&draft.id, sections(NoteTemplate::Free, "voor de beperking"))
        .expect("saved");

    let mut restricted = sample_client();
    restricted.restricted = true;
    anna.kluis
        .update_client(&client.id, restricted.clone())
        .expect("restricted");
    anna.sync("anna restricts").await;
    bram.sync("bram receives the restriction").await;

    // On Bram's laptop the record is read-only.
    let refused = bram
        .kluis
        .create_note(new_note(&client.id))
        .expect_err("no note");
    assert_eq!(refused.code(), CoreCode::Restricted);
    let refused = bram
        .kluis
        .save_draft(&draft.id, sections(NoteTemplate::Free, "erna"))
        .expect_err("no draft edit");
    assert_eq!(refused.code(), CoreCode::Restricted);
    let mut edited = restricted.clone();
    edited.phone = "06 9999 9999".to_owned();
    let refused = bram
        .kluis
        .update_client(&client.id, edited)
        .expect_err("no edit");
    assert_eq!(refused.code(), CoreCode::Restricted);

    // The draft he wrote before went to the store in that round: refused by
    // the store's own rule, and kept for him.
    let conflicts = bram.kluis.sync_conflicts().expect("conflicts");
    let kept = conflicts
        .iter()
        .find(|conflict| conflict.record_id == draft.id)
        .expect("the refused draft is kept for its author");
    assert_eq!(kept.refusal.as_deref(), Some("forbidden"));

    // A crafted change of the client (a phone number, restriction kept) is
    // refused by the store too.
    let stored = kluis_testkit::off_runtime(|| {
        store
            .store
            .transaction(|transaction| transaction.record(RecordKind::Client, &client.id))
    })
    .expect("read")
    .expect("client");
    let Record::Client(mut crafted) =
        serde_json::from_str::<Record>(stored.body.as_deref().expect("body")).expect("record")
    else {
        panic!("not a client");
    };
    assert!(crafted.restricted);
    crafted.phone = "06 9999 9999".to_owned();
    let answer = bram
        .client
        .push(vec![Operation {
            op_id: uuid::Uuid::new_v4(),
            action: Action::Upsert {
                record: Box::new(Record::Client(crafted)),
                base_version: Some(stored.version),
            },
        }])
        .await
        .expect("answer");
    assert!(
        matches!(
            &answer.results[0].outcome,
            Outcome::Rejected {
                code: ErrorCode::Forbidden,
                rule: Refusal::ClientRestricted,
                ..
            }
        ),
        "{:?}",
        answer.results[0].outcome
    );

    // Lifting is the one change taken; then Bram writes again.
    anna.kluis
        .update_client(&client.id, sample_client())
        .expect("lifted");
    anna.sync("anna lifts").await;
    bram.sync("bram receives it").await;
    let note = bram
        .kluis
        .create_note(new_note(&client.id))
        .expect("a note again");
    bram.kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "na de beperking"))
        .expect("saved");
    let report = bram.sync("bram sends").await;
    assert_eq!(report.rejected, 0, "{report:?}");
}

on_both_back_ends!(a_restricted_record_is_read_only_on_a_second_device_and_in_the_store);
