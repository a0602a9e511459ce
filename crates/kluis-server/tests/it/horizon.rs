//! The tombstone horizon on the store, on both back ends, with a controlled
//! clock: a device that begins a pull from the start after old tombstones
//! were removed reads the whole feed page by page, even though its cursor
//! lies below the horizon between pages; if tombstones are removed again
//! while it reads, it is told to rebuild; a device whose cursor is from
//! before the horizon is told so at once.

use chrono::{Duration, TimeZone, Utc};
use kluis_protocol::{ErrorCode, Outcome};
use kluis_server::horizon;
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_testkit::on_both_back_ends;

use crate::support::{Backend, off_runtime};
use crate::sync::{Device, client_record, upsert};

async fn a_pull_from_the_start_reads_past_the_horizon_page_by_page<S: Backend>() {
    let store = crate::support::TestStore::<S>::start().await;
    let anna = Device::new(&store, "anna-laptop", "anna");
    let day_one = Utc
        .with_ymd_and_hms(2026, 1, 5, 3, 0, 0)
        .single()
        .expect("time");
    for index in 0..6 {
        let outcome = anna
            .push_one(upsert(
                client_record(&format!("client-{index}"), "Noor"),
                None,
            ))
            .await;
        assert!(matches!(outcome, Outcome::Applied { .. }));
    }
    let old_cursor = anna.pull(0).await.cursor;
    // The feed is marked after the six clients; a horizon later everything
    // up to that mark counts as removed.
    off_runtime(|| horizon::run(&*store.store, day_one, horizon::DEFAULT_KEEP_DAYS)).expect("mark");
    let later = day_one + Duration::days(i64::from(horizon::DEFAULT_KEEP_DAYS) + 1);
    let pruned = off_runtime(|| horizon::run(&*store.store, later, horizon::DEFAULT_KEEP_DAYS))
        .expect("prune");
    assert_eq!(pruned.through, old_cursor);

    // A cursor from before the horizon: rebuild.
    assert_eq!(
        anna.pull_page(2, 100).await.expect_err("refused"),
        (410, ErrorCode::RebuildRequired)
    );

    // A new device reads the whole feed one change at a time.
    let desk = Device::new(&store, "anna-desk", "anna");
    let mut cursor = 0;
    let mut seen = 0;
    loop {
        let page = desk
            .pull_page(cursor, 1)
            .await
            .expect("a page, not a rebuild");
        seen += page.changes.len();
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, 6);
    assert!(
        cursor >= pruned.through,
        "the last page stands at the horizon"
    );
    desk.pull_page(cursor, 1).await.expect("pulls on");

    // Tombstones removed again while a third device reads: it rebuilds.
    let travel = Device::new(&store, "anna-travel", "anna");
    let first = travel.pull_page(0, 1).await.expect("first page");
    let outcome = anna
        .push_one(upsert(client_record("client-new", "Noor"), None))
        .await;
    assert!(matches!(outcome, Outcome::Applied { .. }));
    off_runtime(|| {
        horizon::run(
            &*store.store,
            later + Duration::days(1),
            horizon::DEFAULT_KEEP_DAYS,
        )
    })
    .expect("mark");
    let even_later = later + Duration::days(i64::from(horizon::DEFAULT_KEEP_DAYS) + 2);
    off_runtime(|| horizon::run(&*store.store, even_later, horizon::DEFAULT_KEEP_DAYS))
        .expect("prune");
    assert_eq!(
        travel
            .pull_page(first.cursor, 1)
            .await
            .expect_err("refused"),
        (410, ErrorCode::RebuildRequired)
    );
}

on_both_back_ends!(a_pull_from_the_start_reads_past_the_horizon_page_by_page);
