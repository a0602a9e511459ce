//! Erasing a client everywhere, against a real store on both back ends
//! (SPEC §6): Anna erases a client she shares with Bram; the store replaces
//! each of the client's records with a tombstone without content; Bram's
//! vault erases the client at its next pull, his unsent edit of it included
//! (an erasure wins); each device's pull past the tombstone counts as its
//! acknowledgement, and the store shows "erased on N of M devices"; the
//! client cannot be written again, and a lifestyle expert may not erase.

use kluis_protocol::{ErrorCode, RecordKind};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_sync::sync_once;
use kluis_testkit::{Backend, off_runtime, on_both_back_ends};

use crate::support::{sample_client, shared_client};

fn erasure_counts<S: Backend>(store: &kluis_testkit::TestStore<S>, client_id: &str) -> (u64, u64) {
    let erasures = off_runtime(|| store.store.erasures()).expect("erasures");
    let erasure = erasures
        .iter()
        .find(|erasure| erasure.client_id == client_id)
        .expect("the erasure is recorded");
    (erasure.acknowledged, erasure.devices)
}

async fn a_client_erased_on_one_device_leaves_every_device_and_the_store_keeps_tombstones<
    S: Backend,
>() {
    let (store, anna, bram, client) = shared_client::<S>().await;
    let sentinel = format!("zq{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let note = anna.signed_note(&client.id, &format!("gesprek {sentinel}"));
    anna.sync("anna sends the note").await;
    bram.sync("bram receives it").await;
    assert!(!bram.kluis.search(&sentinel).expect("search").is_empty());

    // Bram edits the client offline; Anna erases it meanwhile.
    bram.kluis
        .update_client(&client.id, sample_client())
        .expect("bram's edit");
    anna.kluis
        .erase_client(
            &client.id,
            kluis_core::record::erasure::ErasureReason::ConsentWithdrawn,
        )
        .expect("erased here");
    anna.sync("anna sends the erasure").await;

    let stored = off_runtime(|| {
        store.store.transaction(|transaction| {
            Ok((
                transaction.record(RecordKind::Client, &client.id)?,
                transaction.record(RecordKind::Note, &note)?,
            ))
        })
    })
    .expect("read");
    let (stored_client, stored_note) = (stored.0.expect("client"), stored.1.expect("note"));
    assert!(
        stored_client.deleted && stored_client.body.is_none(),
        "a tombstone"
    );
    assert!(
        stored_note.deleted && stored_note.body.is_none(),
        "the signed note too"
    );
    assert_eq!(erasure_counts(&store, &client.id), (0, 2));

    // Bram's round: his edit is refused (the client is erased), the pull
    // erases the client here, his edit and its refusal with it.
    bram.sync("bram applies the erasure").await;
    for (name, laptop) in [("anna", &anna), ("bram", &bram)] {
        laptop.sync(&format!("{name} acknowledges")).await;
        assert!(
            matches!(
                laptop.kluis.get_client(&client.id),
                Err(kluis_core::CoreError::NotFound("client"))
            ),
            "{name} still holds the client"
        );
        assert!(
            laptop.kluis.search(&sentinel).expect("search").is_empty(),
            "{name}"
        );
        assert_eq!(
            laptop.kluis.sync_conflict_count().expect("conflicts"),
            0,
            "{name}"
        );
        assert_eq!(
            laptop.kluis.sync_pending_count().expect("pending"),
            0,
            "{name}"
        );
        assert!(
            laptop.kluis.verify_access_log().expect("verify").intact,
            "{name}"
        );
    }
    assert_eq!(
        erasure_counts(&store, &client.id),
        (2, 2),
        "erased on 2 of 2 devices"
    );
    // The store keeps why, and from which device, the client was erased.
    let recorded = off_runtime(|| store.store.erasures()).expect("erasures");
    let recorded = recorded
        .iter()
        .find(|erasure| erasure.client_id == client.id)
        .expect("recorded");
    assert_eq!(
        recorded.reason,
        kluis_protocol::ErasureReason::ConsentWithdrawn
    );
    assert!(recorded.device_id.is_some());

    // The SQLite store's files (database and write-ahead log) hold no copy
    // of the note: secure_delete zeroed the replaced body and the log was
    // truncated. (PostgreSQL has no secure delete; see `purge_after_erasure`.)
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(store.directory.path())
        .expect("store directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.to_string_lossy().contains("store.db"))
        .collect();
    if S::IS_SQLITE {
        assert!(
            !files.is_empty(),
            "the SQLite store's files are there to scan"
        );
    }
    for file in files {
        let bytes = std::fs::read(&file).expect("store file");
        assert!(
            !bytes
                .windows(sentinel.len())
                .any(|window| window == sentinel.as_bytes()),
            "{} holds the erased note",
            file.display()
        );
    }

    // Nothing brings the client back: an upsert of it is refused.
    let again = anna
        .client
        .push(vec![kluis_protocol::Operation {
            op_id: uuid::Uuid::new_v4(),
            action: kluis_protocol::Action::Upsert {
                record: Box::new(crate::support::client_record_with_id(&client.id)),
                base_version: Some(stored_client.version),
            },
        }])
        .await
        .expect("answer");
    assert!(
        matches!(
            &again.results[0].outcome,
            kluis_protocol::Outcome::Rejected {
                code: ErrorCode::Forbidden,
                rule: kluis_protocol::Refusal::ClientErased,
                ..
            }
        ),
        "{:?}",
        again.results[0].outcome
    );
}

on_both_back_ends!(
    a_client_erased_on_one_device_leaves_every_device_and_the_store_keeps_tombstones,
);

#[tokio::test]
async fn a_lifestyle_expert_may_not_erase_on_the_store() {
    use kluis_core::record::practitioner::Role as CoreRole;

    use crate::support::Devices;

    let store = crate::support::start_store("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    anna.sync("anna").await;
    let lotte = store.laptop("Lotte", CoreRole::LifestyleExpert);
    store.assign(&client.id, &lotte.practitioner_id);
    let answer = lotte
        .client
        .push(vec![kluis_protocol::Operation {
            op_id: uuid::Uuid::new_v4(),
            action: kluis_protocol::Action::EraseClient {
                client_id: client.id.clone(),
                reason: kluis_protocol::ErasureReason::ClientRequest,
            },
        }])
        .await
        .expect("answer");
    assert!(
        matches!(
            &answer.results[0].outcome,
            kluis_protocol::Outcome::Rejected {
                code: ErrorCode::Forbidden,
                rule: kluis_protocol::Refusal::ErasureIsPsychologistsWork,
                ..
            }
        ),
        "{:?}",
        answer.results[0].outcome
    );
    let _ = sync_once(&anna.client, &anna.kluis).await.expect("anna");
    assert!(
        anna.kluis.get_client(&client.id).is_ok(),
        "nothing was erased"
    );
}
