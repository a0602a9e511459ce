//! A client's privacy decisions on the store, on both back ends: the privacy
//! log only grows (a device that drops or rewrites an entry is refused), and
//! a restricted record takes privacy decisions (consents, the restriction,
//! new log entries) and nothing else.

use kluis_protocol::records::{PrivacyEvent, PrivacyEventKind};
use kluis_protocol::{Outcome, Record, Refusal};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_testkit::on_both_back_ends;

use crate::support::{Backend, TestStore};
use crate::sync::{Device, client_record, rule_of, upsert};

fn event(on: &str, kind: PrivacyEventKind, reason: Option<&str>) -> PrivacyEvent {
    PrivacyEvent {
        on: on.to_owned(),
        kind,
        by: "Anna de Vries".to_owned(),
        reason: reason.map(str::to_owned),
    }
}

fn client(change: impl FnOnce(&mut kluis_protocol::ClientRecord)) -> Record {
    let Record::Client(mut client) = client_record("client-privacy", "Noor") else {
        unreachable!("client_record makes clients")
    };
    client.privacy_log = vec![event(
        "2026-11-02",
        PrivacyEventKind::HealthDataConsentGiven,
        None,
    )];
    change(&mut client);
    Record::Client(client)
}

async fn the_privacy_log_only_grows_and_a_restricted_record_takes_only_privacy_decisions<
    S: Backend,
>() {
    let store = TestStore::<S>::start().await;
    let anna = Device::new(&store, "anna-laptop", "anna");
    let created = anna.push_one(upsert(client(|_| {}), None)).await;
    assert_eq!(created, Outcome::Applied { version: 1 });

    // A crafted push that drops the log, or rewrites an entry, is refused.
    let dropped = anna
        .push_one(upsert(client(|client| client.privacy_log.clear()), Some(1)))
        .await;
    assert_eq!(rule_of(dropped), Refusal::PrivacyLogIsAppendOnly);
    let rewritten = anna
        .push_one(upsert(
            client(|client| client.privacy_log[0].on = "2020-01-01".to_owned()),
            Some(1),
        ))
        .await;
    assert_eq!(rule_of(rewritten), Refusal::PrivacyLogIsAppendOnly);

    // Withdrawing the health-data consent restricts; the log grows.
    let withdrawn = |client: &mut kluis_protocol::ClientRecord| {
        client.health_data_consent_withdrawn = Some("2026-11-20".to_owned());
        client.restricted = true;
        client.privacy_log.extend([
            event(
                "2026-11-20",
                PrivacyEventKind::HealthDataConsentWithdrawn,
                None,
            ),
            event("2026-11-20", PrivacyEventKind::Restricted, None),
        ]);
    };
    let restricted = anna.push_one(upsert(client(withdrawn), Some(1))).await;
    assert_eq!(restricted, Outcome::Applied { version: 2 });

    // A second device that edited version 1 offline (its log lacks the new
    // entries) is told of the conflict, so it merges, not refused.
    let stale = anna
        .push_one(upsert(
            client(|client| client.phone = "06 1234 0000".to_owned()),
            Some(1),
        ))
        .await;
    assert_eq!(stale, Outcome::Conflict { current_version: 2 });

    // Restricted: another field is refused, a refused erasure is taken.
    let edited = anna
        .push_one(upsert(
            client(|client| {
                withdrawn(client);
                client.remarks = "Gewijzigd.".to_owned();
            }),
            Some(2),
        ))
        .await;
    assert_eq!(rule_of(edited), Refusal::ClientRestricted);
    let with_refusal = |client: &mut kluis_protocol::ClientRecord| {
        withdrawn(client);
        client.privacy_log.push(event(
            "2026-11-21",
            PrivacyEventKind::ErasureRefused,
            Some("Bewaarplicht WGBO."),
        ));
    };
    let refused = anna.push_one(upsert(client(with_refusal), Some(2))).await;
    assert_eq!(refused, Outcome::Applied { version: 3 });

    // Consent given again lifts the restriction: taken on a restricted record.
    let given_again = anna
        .push_one(upsert(
            client(|client| {
                with_refusal(client);
                client.health_data_consent_withdrawn = None;
                client.health_data_consent_date = "2026-11-25".to_owned();
                client.restricted = false;
                client.privacy_log.extend([
                    event("2026-11-25", PrivacyEventKind::HealthDataConsentGiven, None),
                    event("2026-11-25", PrivacyEventKind::RestrictionLifted, None),
                ]);
            }),
            Some(3),
        ))
        .await;
    assert_eq!(given_again, Outcome::Applied { version: 4 });
}

on_both_back_ends!(the_privacy_log_only_grows_and_a_restricted_record_takes_only_privacy_decisions,);
