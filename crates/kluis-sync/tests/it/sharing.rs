//! Devices and practitioners sharing records through the store.

use kluis_protocol::Outcome;
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_sync::{SyncError, sync_once};
use kluis_testkit::{Backend, on_both_back_ends};

use crate::support::*;

async fn two_practitioners_share_a_client_through_the_store<S: Backend>() {
    use kluis_core::record::notes::{NewNote, NoteTemplate, Visibility};
    use kluis_core::record::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    let soap = anna
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::Soap,
            visibility: Visibility::CareTeam,
        })
        .expect("note");
    anna.kluis
        .save_draft(
            &soap.id,
            sections(NoteTemplate::Soap, "slaapdagboek gestart"),
        )
        .expect("draft");
    anna.kluis.sign_note(&soap.id).expect("sign");
    let private = anna
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::Free,
            visibility: Visibility::Private,
        })
        .expect("private");
    anna.kluis
        .save_draft(
            &private.id,
            sections(NoteTemplate::Free, "eigen werkaantekening"),
        )
        .expect("private draft");
    let consult = anna
        .kluis
        .plan_consult(kluis_core::record::consults::ConsultInput {
            client_ids: vec![client.id.clone()],
            kind: kluis_core::record::consults::ConsultKind::Video,
            date: "2026-12-01".to_owned(),
            time: "10:00".to_owned(),
            duration_minutes: 50,
            link: None,
            recurrence: None,
        })
        .expect("consult")
        .remove(0);
    let report = anna.sync("anna syncs").await;
    assert_eq!(
        report.pushed, 4,
        "client, signed note, private draft, consult: {report:?}"
    );
    assert_eq!((report.conflicts, report.rejected), (0, 0));
    assert!(
        anna.kluis.sync_next_batch(10).expect("batch").is_empty(),
        "outbox empty"
    );

    let lotte = store.laptop("Lotte", CoreRole::LifestyleExpert);
    store.assign(&client.id, &lotte.practitioner_id);
    let report = lotte.sync("lotte syncs").await;
    assert_eq!(
        report.pulled, 3,
        "the client, the signed note and the consult: {report:?}"
    );
    let received_consult = lotte
        .kluis
        .get_consult(&consult.id)
        .expect("the consult arrived");
    assert_eq!(
        (
            received_consult.date.as_str(),
            received_consult.start_time.as_str()
        ),
        ("2026-12-01", "10:00")
    );
    assert_eq!(lotte.kluis.list_clients().expect("clients").len(), 1);
    let received = lotte
        .kluis
        .get_note(&soap.id)
        .expect("the signed note arrived");
    assert_eq!(
        received.content_hash,
        anna.kluis.get_note(&soap.id).expect("note").content_hash
    );
    assert!(
        matches!(
            lotte.kluis.get_note(&private.id),
            Err(kluis_core::CoreError::NotFound(_))
        ),
        "never a private note"
    );
    assert!(
        !lotte
            .kluis
            .search("slaapdagboek")
            .expect("search")
            .is_empty(),
        "received notes are searchable"
    );

    let check_in = lotte
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::LifestyleCheckIn,
            visibility: Visibility::CareTeam,
        })
        .expect("check-in");
    lotte
        .kluis
        .save_draft(
            &check_in.id,
            sections(NoteTemplate::LifestyleCheckIn, "wandelt dagelijks"),
        )
        .expect("save");
    lotte.kluis.sign_note(&check_in.id).expect("sign");
    let report = lotte.sync("lotte pushes").await;
    assert_eq!(report.pushed, 1);
    let report = anna.sync("anna pulls").await;
    assert_eq!(report.pulled, 1, "{report:?}");
    assert_eq!(
        anna.kluis
            .get_note(&check_in.id)
            .expect("check-in arrived")
            .author_name,
        "Lotte"
    );
}

async fn a_push_cut_short_is_recognised_when_it_is_sent_again<S: Backend>() {
    use kluis_core::record::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    anna.sync("first sync").await;

    let mut changed = sample_client();
    changed.remarks = "Nachtdiensten gestopt.".to_owned();
    anna.kluis.update_client(&client.id, changed).expect("edit");
    // The push reaches the store, but the app dies before it records that.
    let batch = anna.kluis.sync_next_batch(10).expect("batch");
    let operations = batch
        .iter()
        .map(|pending| pending.operation.clone())
        .collect();
    let response = anna.client.push(operations).await.expect("push");
    assert_eq!(response.results[0].outcome, Outcome::Applied { version: 2 });

    let report = anna.sync("after restart").await;
    assert_eq!(
        report.pushed, 1,
        "the same operation again: already applied"
    );
    let feed = anna.client.pull(0, 100).await.expect("feed");
    assert_eq!(feed.changes.len(), 1);
    assert_eq!(feed.changes[0].version, 2, "applied once, not twice");
    assert!(anna.kluis.sync_next_batch(10).expect("batch").is_empty());
}

async fn changes_made_offline_are_sent_when_the_store_is_back<S: Backend>() {
    use kluis_core::record::practitioner::Role as CoreRole;

    let mut store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    store.server.take().expect("running").stop().await;
    anna.kluis
        .create_client(sample_client())
        .expect("written offline");
    let error = sync_once(&anna.client, &anna.kluis)
        .await
        .expect_err("offline");
    assert!(matches!(error, SyncError::Offline), "{error:?}");
    assert_eq!(
        anna.kluis.sync_next_batch(10).expect("batch").len(),
        1,
        "still queued"
    );

    store.restart(store.address()).await;
    let report = anna.sync("back online").await;
    assert_eq!(report.pushed, 1);
}

#[tokio::test]
async fn the_access_log_reaches_the_store_once_and_the_pull_reports_progress() {
    use kluis_core::record::practitioner::Role as CoreRole;

    let store = start_store("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    for _ in 0..3 {
        anna.kluis.create_client(sample_client()).expect("client");
    }
    let first = anna.sync("sync").await;
    let logged = anna.kluis.verify_access_log().expect("chain").entries;
    assert!(first.audit_uploaded >= 3, "{first:?}");
    assert_eq!(first.audit_uploaded, logged, "{first:?}");

    let stored = |sql: &str| -> i64 {
        rusqlite::Connection::open(store.directory.path().join("store.db"))
            .expect("store database")
            .query_row(sql, [], |row| row.get(0))
            .expect("query")
    };
    assert_eq!(stored("SELECT count(*) FROM audit_log"), i64::from(logged));
    let again = anna.sync("sync").await;
    assert_eq!(again.audit_uploaded, 0, "nothing twice");
    anna.kluis.list_clients().expect("a logged read");
    let third = anna.sync("sync").await;
    assert_eq!(third.audit_uploaded, 1);
    assert_eq!(
        stored("SELECT count(*) FROM audit_log"),
        i64::from(logged) + 1
    );

    // Her second device receives the three clients and hears how far it is.
    let travel = store.second_laptop(&anna, "Anna", CoreRole::Psychologist);
    let mut progress = Vec::new();
    let report = kluis_sync::sync_once_with_progress(&travel.client, &travel.kluis, |step| {
        progress.push(step);
    })
    .await
    .expect("first sync");
    assert_eq!(report.pulled, 3);
    assert_eq!(
        progress,
        [kluis_sync::PullProgress {
            received: 3,
            total: 3
        }]
    );
}

/// Anna plans an OpenUp Space session for two clients; Lotte is assigned to
/// one of them only. Her device once failed the whole page on the client it
/// never holds, never moved its cursor, and lost what she wrote afterwards at
/// the next lock. Now it keeps syncing with what it may see.
async fn a_group_consult_reaching_a_partly_assigned_colleague_never_wedges_her_device<
    S: Backend,
>() {
    use kluis_core::record::consults::{ConsultInput, ConsultKind};
    use kluis_core::record::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let lotte = store.laptop("Lotte", CoreRole::Psychologist);
    let shared = anna.kluis.create_client(sample_client()).expect("client X");
    let mut other_input = sample_client();
    other_input.first_name = "Sem".to_owned();
    let other = anna.kluis.create_client(other_input).expect("client Y");
    let planned = anna
        .kluis
        .plan_consult(ConsultInput {
            client_ids: vec![shared.id.clone(), other.id.clone()],
            kind: ConsultKind::GroupSession,
            date: "2026-12-08".to_owned(),
            time: "10:00".to_owned(),
            duration_minutes: 90,
            link: None,
            recurrence: None,
        })
        .expect("group consult");
    anna.sync("anna pushes").await;
    store.assign(&shared.id, &lotte.practitioner_id);

    lotte
        .sync("Lotte's device takes the consult with what she may see")
        .await;
    let consult = lotte
        .kluis
        .get_consult(&planned[0].id)
        .expect("the consult is on her device");
    let client_ids: Vec<&str> = consult
        .clients
        .iter()
        .map(|client| client.id.as_str())
        .collect();
    assert_eq!(
        client_ids,
        vec![shared.id.as_str()],
        "only the client she holds"
    );
    assert!(
        matches!(
            lotte.kluis.get_client(&other.id),
            Err(kluis_core::CoreError::NotFound("client"))
        ),
        "the other client never reaches her"
    );

    let mut written_input = sample_client();
    written_input.first_name = "Mila".to_owned();
    let written = lotte
        .kluis
        .create_client(written_input)
        .expect("a client written afterwards");
    let report = lotte.sync("her next round").await;
    assert_eq!(report.pushed, 1, "{report:?}");
    lotte.kluis.lock();
    lotte
        .kluis
        .unlock(&kluis_core::vault::secret::Passphrase::from(
            TEST_PASSPHRASE,
        ))
        .expect("unlock");
    assert_eq!(
        lotte
            .kluis
            .get_client(&written.id)
            .expect("still there")
            .input
            .first_name,
        "Mila",
        "nothing written after the consult is lost to the lock"
    );
    store.assign(&written.id, &anna.practitioner_id);
    anna.sync("anna pulls").await;
    assert_eq!(
        anna.kluis
            .get_client(&written.id)
            .expect("on the store")
            .input
            .first_name,
        "Mila"
    );
}

/// A device signs a note under the name its vault knows; the store writes
/// the signer's name from the certificate's practitioner and the signing
/// time from its own clock, and the device then shows what the store
/// recorded, while the signed words stay exactly as they were.
async fn the_device_shows_the_signature_the_store_recorded<S: Backend>() {
    use kluis_core::record::notes::{NewNote, NoteTemplate, Visibility};
    use kluis_core::record::practitioner::Role as CoreRole;

    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna de Vries", CoreRole::Psychologist);
    let travel = store.second_laptop(&anna, "Anna (reislaptop)", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    anna.sync("anna pushes").await;
    travel.sync("the travel laptop pulls").await;
    let note = travel
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::Free,
            visibility: Visibility::CareTeam,
        })
        .expect("note");
    travel
        .kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "rustig gesprek"))
        .expect("draft");
    let signed_here = travel.kluis.sign_note(&note.id).expect("sign");
    assert_eq!(signed_here.signed_by.as_deref(), Some("Anna (reislaptop)"));
    travel.sync("push and pull").await;
    let shown = travel.kluis.get_note(&note.id).expect("note");
    assert_eq!(
        shown.signed_by.as_deref(),
        Some("Anna de Vries"),
        "the store's signer"
    );
    assert_eq!(shown.author_name, "Anna de Vries");
    assert_eq!(
        shown.sections, signed_here.sections,
        "the words never change"
    );
    assert_eq!(shown.content_hash, signed_here.content_hash);
    anna.sync("anna pulls").await;
    let on_desk = anna.kluis.get_note(&note.id).expect("on the desk");
    assert_eq!(on_desk.signed_by, shown.signed_by);
    assert_eq!(
        on_desk.signed_at, shown.signed_at,
        "one signing time everywhere"
    );
}

on_both_back_ends!(
    a_group_consult_reaching_a_partly_assigned_colleague_never_wedges_her_device,
    the_device_shows_the_signature_the_store_recorded,
    two_practitioners_share_a_client_through_the_store,
    changes_made_offline_are_sent_when_the_store_is_back,
    a_push_cut_short_is_recognised_when_it_is_sent_again,
);
