//! A device away longer than the store keeps tombstones (SPEC §5, §6), on
//! both back ends: Anna erases a client she shares with Bram while Bram's
//! laptop is offline with unsent edits of it; the store later removes the
//! client's tombstones. When Bram's laptop comes back its pull is answered
//! `rebuild_required`; it rebuilds from the store and lets the client go:
//! no client, no note, no unsent edit, no conflict, no search hit, and the
//! client does not come back at the next round. What the store still holds
//! (another client) stays, and a device that was not away does not rebuild.

use chrono::{Duration, TimeZone, Utc};
use kluis_protocol::RecordKind;
use kluis_server::horizon;
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_testkit::{Backend, off_runtime, on_both_back_ends};

use crate::support::{sample_client, shared_client};

async fn a_device_away_past_the_horizon_rebuilds_and_brings_nothing_back<S: Backend>() {
    let (store, anna, bram, client) = shared_client::<S>().await;
    let kept = anna
        .kluis
        .create_client(kluis_testkit::fixtures::sample_client("Sem"))
        .expect("second client");
    let sentinel = format!("zq{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let note = anna.signed_note(&client.id, &format!("gesprek {sentinel}"));
    anna.sync("anna sends").await;
    store.assign(&kept.id, &bram.practitioner_id);
    bram.sync("bram receives").await;
    assert!(!bram.kluis.search(&sentinel).expect("search").is_empty());

    // The store notes where its feed stands on day one.
    let day_one = Utc
        .with_ymd_and_hms(2026, 1, 5, 3, 0, 0)
        .single()
        .expect("time");
    off_runtime(|| horizon::run(&*store.store, day_one, horizon::DEFAULT_KEEP_DAYS)).expect("mark");

    // Bram works offline on the client; Anna erases it and syncs.
    bram.kluis
        .update_client(&client.id, sample_client())
        .expect("bram's edit");
    bram.draft(&client.id, &format!("offline {sentinel}"));
    anna.kluis
        .erase_client(
            &client.id,
            kluis_core::record::erasure::ErasureReason::ClientRequest,
        )
        .expect("erased");
    anna.sync("anna sends the erasure").await;

    // A day after the erasure the feed is marked again; a horizon later the
    // erasure's tombstones are removed.
    let next_day = day_one + Duration::days(1);
    off_runtime(|| horizon::run(&*store.store, next_day, horizon::DEFAULT_KEEP_DAYS))
        .expect("mark");
    let later = next_day + Duration::days(i64::from(horizon::DEFAULT_KEEP_DAYS) + 1);
    let pruned = off_runtime(|| horizon::run(&*store.store, later, horizon::DEFAULT_KEEP_DAYS))
        .expect("prune");
    assert!(
        pruned.removed >= 2,
        "the client's and the note's tombstones: {pruned:?}"
    );
    let tombstone = off_runtime(|| {
        store
            .store
            .transaction(|transaction| transaction.record(RecordKind::Client, &client.id))
    })
    .expect("read");
    assert!(tombstone.is_none(), "the tombstone is gone");

    // Anna's cursor is past the horizon: she pulls on as before.
    let anna_round = anna.sync("anna, not away").await;
    assert!(!anna_round.rebuilt);

    // Bram's laptop comes back: told to rebuild, it lets the client go.
    let round = bram.sync("bram comes back").await;
    assert!(round.rebuilt, "{round:?}");
    let clients: Vec<String> = bram
        .kluis
        .list_clients()
        .expect("clients")
        .into_iter()
        .map(|summary| summary.id)
        .collect();
    assert_eq!(
        clients,
        std::slice::from_ref(&kept.id),
        "only what the store holds"
    );
    assert!(bram.kluis.search(&sentinel).expect("search").is_empty());
    assert_eq!(bram.kluis.sync_conflict_count().expect("conflicts"), 0);
    assert_eq!(bram.kluis.sync_pending_count().expect("pending"), 0);
    assert!(matches!(
        bram.kluis.get_note(&note),
        Err(kluis_core::CoreError::NotFound(_))
    ));

    // Nothing comes back at the next round, on the laptop or in the store.
    let again = bram.sync("bram again").await;
    assert!(!again.rebuilt);
    assert!(
        bram.kluis
            .list_clients()
            .expect("clients")
            .iter()
            .all(|summary| summary.id != client.id)
    );
    let live = off_runtime(|| store.store.live_records(RecordKind::Client)).expect("live");
    assert!(live.iter().all(|record| record.reference().id != client.id));
}

on_both_back_ends!(a_device_away_past_the_horizon_rebuilds_and_brings_nothing_back);
