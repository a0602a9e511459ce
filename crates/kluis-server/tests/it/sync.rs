//! Pull and push over real mutual TLS: replays, base versions, signed notes,
//! tombstones, and what each practitioner's devices may send and receive.

use kluis_protocol::records::{
    ClientRecord, NoteRecord, NoteSection, NoteStatus, NoteTemplate, Role as WireRole, Visibility,
};
use kluis_protocol::{
    Action, AuditEntry, AuditUploadRequest, ChangePayload, Operation, Outcome, PROTOCOL_VERSION,
    PullRequest, PullResponse, PushRequest, PushResponse, Record, RecordKind, RecordRef, Refusal,
};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::Role;
use uuid::Uuid;

use crate::support::{Backend, HttpsClients, TestStore, post_json};
use kluis_testkit::on_both_back_ends;

pub(crate) fn client_record(id: &str, first_name: &str) -> Record {
    Record::Client(ClientRecord {
        id: id.to_owned(),
        client_code: format!("C-{}", &id[..5.min(id.len())].to_uppercase()),
        first_name: first_name.to_owned(),
        last_name: Some("Visser".to_owned()),
        email: "noor@example.nl".to_owned(),
        birth_year: 1991,
        phone: "06 8765 4321".to_owned(),
        employer: None,
        care_start: "2026-11-02".to_owned(),
        care_end: None,
        remarks: String::new(),
        health_data_consent_date: "2026-11-02".to_owned(),
        employer_reporting_opt_in: false,
        employer_reporting_date: None,
        restricted: false,
        health_data_consent_withdrawn: None,
        privacy_log: Vec::new(),
    })
}

pub(crate) fn note_record(
    id: &str,
    author: (&str, WireRole),
    template: NoteTemplate,
    visibility: Visibility,
    status: NoteStatus,
) -> Record {
    let signed = status == NoteStatus::Signed;
    let mut note = NoteRecord {
        id: id.to_owned(),
        client_id: "client-1".to_owned(),
        consult_id: None,
        author_id: author.0.to_owned(),
        author_name: author.0.to_owned(),
        author_role: author.1,
        template,
        visibility,
        status,
        sections: vec![NoteSection {
            key: "text".to_owned(),
            text: "Slaapt beter sinds het slaapdagboek.".to_owned(),
        }],
        created_at: "2026-11-25T09:00:00Z".to_owned(),
        signed_at: signed.then(|| "2026-11-25T09:30:00Z".to_owned()),
        signed_by: signed.then(|| author.0.to_owned()),
        content_hash: None,
    };
    if signed {
        note.content_hash = Some(note.signed_content().hash());
    }
    Record::Note(note)
}

/// The rule of a refusal, with its class checked against it.
#[track_caller]
pub(crate) fn rule_of(outcome: Outcome) -> Refusal {
    match outcome {
        Outcome::Rejected { code, rule, .. } => {
            assert_eq!(code, rule.code(), "the class fits the rule");
            rule
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub(crate) fn upsert(record: Record, base_version: Option<u64>) -> Operation {
    Operation {
        op_id: Uuid::new_v4(),
        action: Action::Upsert {
            record: Box::new(record),
            base_version,
        },
    }
}

/// A device of one practitioner on the store.
pub(crate) struct Device {
    pub(crate) client: reqwest::Client,
    push_url: String,
    pull_url: String,
}

impl Device {
    pub(crate) fn new<S: Backend>(
        store: &TestStore<S>,
        device_id: &str,
        practitioner_id: &str,
    ) -> Self {
        let identity = store.enroll_for(device_id, practitioner_id);
        Self {
            client: store.client(Some(&identity)),
            push_url: store.url("/v1/push"),
            pull_url: store.url("/v1/pull"),
        }
    }

    pub(crate) async fn push(&self, operations: Vec<Operation>) -> Vec<Outcome> {
        let (status, body) = post_json(
            &self.client,
            &self.push_url,
            &PushRequest {
                protocol_version: PROTOCOL_VERSION,
                operations,
            },
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let response: PushResponse = serde_json::from_value(body).expect("push response");
        response
            .results
            .into_iter()
            .map(|result| result.outcome)
            .collect()
    }

    pub(crate) async fn push_one(&self, operation: Operation) -> Outcome {
        self.push(vec![operation]).await.remove(0)
    }

    pub(crate) async fn pull(&self, cursor: u64) -> PullResponse {
        let (status, body) = post_json(
            &self.client,
            &self.pull_url,
            &PullRequest {
                protocol_version: PROTOCOL_VERSION,
                cursor,
                limit: 100,
            },
        )
        .await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_value(body).expect("pull response")
    }

    /// One page of at most `limit` changes, or the store's refusal (status,
    /// code).
    pub(crate) async fn pull_page(
        &self,
        cursor: u64,
        limit: u32,
    ) -> Result<PullResponse, (u16, kluis_protocol::ErrorCode)> {
        let (status, body) = post_json(
            &self.client,
            &self.pull_url,
            &PullRequest {
                protocol_version: PROTOCOL_VERSION,
                cursor,
                limit,
            },
        )
        .await;
        if status == 200 {
            Ok(serde_json::from_value(body).expect("pull response"))
        } else {
            let error: kluis_protocol::ErrorBody =
                serde_json::from_value(body).expect("error body");
            Err((status, error.code))
        }
    }

    /// The ids of the records (not tombstones) in the whole feed.
    pub(crate) async fn record_ids(&self) -> Vec<String> {
        self.pull(0)
            .await
            .changes
            .into_iter()
            .filter_map(|change| match change.payload {
                ChangePayload::Record { record } => Some(record.reference().id),
                ChangePayload::Tombstone { .. } => None,
            })
            .collect()
    }
}

/// Anna (psychologist) with a client, Lotte (lifestyle expert) assigned to it,
/// Bram (psychologist) not assigned.
pub(crate) async fn care_team<S: Backend>() -> (TestStore<S>, Device, Device, Device) {
    let store = TestStore::<S>::start().await;
    store.add_practitioner("lotte", "Lotte Bakker", Role::LifestyleExpert);
    store.add_practitioner("bram", "Bram Visser", Role::Psychologist);
    let anna = Device::new(&store, "anna-laptop", "anna");
    let lotte = Device::new(&store, "lotte-laptop", "lotte");
    let bram = Device::new(&store, "bram-laptop", "bram");
    let created = anna
        .push_one(upsert(client_record("client-1", "Noor"), None))
        .await;
    assert_eq!(created, Outcome::Applied { version: 1 });
    (store, anna, lotte, bram)
}

async fn a_pushed_record_comes_back_in_the_feed_once_and_a_replay_changes_nothing<S: Backend>() {
    let (_store, anna, _, _) = care_team::<S>().await;
    let first = anna.pull(0).await;
    assert_eq!(first.changes.len(), 1);
    assert!(!first.more);
    assert_eq!(first.remaining, 0);
    let seq = first.changes[0].seq;
    assert_eq!(first.cursor, seq);
    assert!(
        anna.pull(first.cursor).await.changes.is_empty(),
        "nothing new"
    );

    let operation = upsert(client_record("client-1", "Noor-Anne"), Some(1));
    assert_eq!(
        anna.push_one(operation.clone()).await,
        Outcome::Applied { version: 2 }
    );
    assert_eq!(
        anna.push_one(operation).await,
        Outcome::AlreadyApplied { version: 2 },
        "the same operation id twice is applied once"
    );
    let next = anna.pull(first.cursor).await;
    assert_eq!(next.changes.len(), 1);
    assert_eq!(next.changes[0].version, 2);
}

async fn an_edit_on_an_old_base_version_is_a_conflict<S: Backend>() {
    let (_store, anna, _, _) = care_team::<S>().await;
    assert_eq!(
        anna.push_one(upsert(client_record("client-1", "Noor B"), Some(1)))
            .await,
        Outcome::Applied { version: 2 }
    );
    assert_eq!(
        anna.push_one(upsert(client_record("client-1", "Noor C"), Some(1)))
            .await,
        Outcome::Conflict { current_version: 2 }
    );
}

async fn a_signed_note_is_immutable_and_a_deleted_draft_leaves_a_tombstone<S: Backend>() {
    let (_store, anna, _, _) = care_team::<S>().await;
    let anna_author = ("anna", WireRole::Psychologist);
    let draft = note_record(
        "note-1",
        anna_author,
        NoteTemplate::Free,
        Visibility::CareTeam,
        NoteStatus::Draft,
    );
    assert_eq!(
        anna.push_one(upsert(draft, None)).await,
        Outcome::Applied { version: 1 }
    );
    let signed = note_record(
        "note-1",
        anna_author,
        NoteTemplate::Free,
        Visibility::CareTeam,
        NoteStatus::Signed,
    );
    assert_eq!(
        anna.push_one(upsert(signed.clone(), Some(1))).await,
        Outcome::Applied { version: 2 }
    );
    assert_eq!(
        rule_of(anna.push_one(upsert(signed, Some(2))).await),
        Refusal::SignedNoteIsImmutable
    );

    let other = note_record(
        "note-2",
        anna_author,
        NoteTemplate::Free,
        Visibility::Private,
        NoteStatus::Draft,
    );
    anna.push_one(upsert(other, None)).await;
    let delete = Operation {
        op_id: Uuid::new_v4(),
        action: Action::Delete {
            target: RecordRef {
                kind: RecordKind::Note,
                id: "note-2".to_owned(),
            },
            base_version: 1,
        },
    };
    assert_eq!(anna.push_one(delete).await, Outcome::Applied { version: 2 });
    let feed = anna.pull(0).await;
    let tombstone = feed
        .changes
        .iter()
        .find(|change| matches!(&change.payload, ChangePayload::Tombstone { target } if target.id == "note-2"))
        .expect("a tombstone without content");
    assert_eq!(tombstone.version, 2);
}

async fn each_device_receives_and_writes_only_what_its_practitioner_may<S: Backend>() {
    let (store, anna, lotte, bram) = care_team::<S>().await;
    assert!(lotte.record_ids().await.is_empty(), "not yet assigned");

    let anna_author = ("anna", WireRole::Psychologist);
    for (id, visibility, status) in [
        ("shared", Visibility::CareTeam, NoteStatus::Signed),
        ("private", Visibility::Private, NoteStatus::Signed),
        ("draft", Visibility::CareTeam, NoteStatus::Draft),
    ] {
        let note = note_record(id, anna_author, NoteTemplate::Soap, visibility, status);
        assert_eq!(
            anna.push_one(upsert(note, None)).await,
            Outcome::Applied { version: 1 }
        );
    }

    store.assign("client-1", "lotte");
    let lotte_sees = lotte.record_ids().await;
    assert!(
        lotte_sees.contains(&"client-1".to_owned()),
        "assigned records arrive"
    );
    assert!(lotte_sees.contains(&"shared".to_owned()));
    assert!(
        !lotte_sees.contains(&"private".to_owned()),
        "never a private note"
    );
    assert!(
        !lotte_sees.contains(&"draft".to_owned()),
        "never someone else's draft"
    );
    let anna_sees = anna.record_ids().await;
    for id in ["client-1", "shared", "private", "draft"] {
        assert!(anna_sees.contains(&id.to_owned()), "Anna sees her own {id}");
    }

    let lotte_author = ("lotte", WireRole::LifestyleExpert);
    let soap = note_record(
        "l-soap",
        lotte_author,
        NoteTemplate::Soap,
        Visibility::CareTeam,
        NoteStatus::Draft,
    );
    assert_eq!(
        rule_of(lotte.push_one(upsert(soap, None)).await),
        Refusal::TemplateNotForRole
    );
    let check_in = note_record(
        "l-check-in",
        lotte_author,
        NoteTemplate::LifestyleCheckIn,
        Visibility::CareTeam,
        NoteStatus::Draft,
    );
    assert_eq!(
        lotte.push_one(upsert(check_in, None)).await,
        Outcome::Applied { version: 1 }
    );
    let forged = note_record(
        "forged",
        anna_author,
        NoteTemplate::Free,
        Visibility::CareTeam,
        NoteStatus::Draft,
    );
    assert_eq!(
        rule_of(lotte.push_one(upsert(forged, None)).await),
        Refusal::NotTheNotesAuthor,
        "a device writes as its own practitioner only"
    );
    assert_eq!(
        rule_of(
            lotte
                .push_one(upsert(client_record("client-1", "X"), Some(1)))
                .await
        ),
        Refusal::ClientsArePsychologistsWork,
        "lifestyle experts do not edit client records"
    );

    assert!(
        bram.record_ids().await.is_empty(),
        "Bram is not on the care team"
    );
    let bram_note = note_record(
        "bram-note",
        ("bram", WireRole::Psychologist),
        NoteTemplate::Free,
        Visibility::CareTeam,
        NoteStatus::Draft,
    );
    assert_eq!(
        rule_of(bram.push_one(upsert(bram_note, None)).await),
        Refusal::NotFound,
        "no notes for a client one is not assigned to, and not a word about it"
    );
}

async fn malformed_oversized_and_wrong_version_requests_get_an_error_body<S: Backend>() {
    let (store, anna, _, _) = care_team::<S>().await;
    let url = store.url("/v1/push");
    let answer = anna
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status().as_u16(), 400);
    let body: serde_json::Value = answer.json().await.expect("error body");
    assert_eq!(body["code"], "malformed_request");

    let (status, body) = post_json(
        &anna.client,
        &store.url("/v1/pull"),
        &serde_json::json!({"protocol_version": 99, "cursor": 0, "limit": 10}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("unsupported_version"))
    );

    let huge = "x".repeat(kluis_protocol::MAX_BODY_BYTES + 1);
    let answer = anna
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status().as_u16(), 413);
    let body: serde_json::Value = answer.json().await.expect("error body");
    assert_eq!(body["code"], "too_large");

    assert_eq!(
        anna.pull(0).await.changes.len(),
        1,
        "the store keeps serving"
    );
}

/// A hash chain of `count` access-log entries logged by `actor` in vault
/// `chain_id`, as a device would upload it.
fn audit_chain(chain_id: &str, actor: &str, count: u64) -> Vec<AuditEntry> {
    let mut previous = kluis_protocol::audit::GENESIS_HASH.to_owned();
    (1..=count)
        .map(|seq| {
            let mut entry = AuditEntry {
                chain_id: chain_id.to_owned(),
                seq,
                id: Uuid::new_v4().to_string(),
                occurred_at: format!("2026-11-25T09:{:02}:00Z", seq % 60),
                actor_id: actor.to_owned(),
                actor_name: "Anna de Vries".to_owned(),
                actor_role: "psychologist".to_owned(),
                on_behalf_of: None,
                action: "read".to_owned(),
                client_id: Some("client-1".to_owned()),
                record_part: "note".to_owned(),
                record_id: Some(format!("note-{seq}")),
                outcome: "success".to_owned(),
                prev_hash: previous.clone(),
                hash: String::new(),
                hash_version: kluis_protocol::audit::AUDIT_HASH_VERSION,
            };
            entry.hash = entry.expected_hash();
            previous.clone_from(&entry.hash);
            entry
        })
        .collect()
}

impl Device {
    async fn upload_audit(&self, entries: &[AuditEntry]) -> (u16, serde_json::Value) {
        post_json(
            &self.client,
            &self.push_url.replace("/v1/push", "/v1/audit"),
            &AuditUploadRequest {
                protocol_version: PROTOCOL_VERSION,
                entries: entries.to_vec(),
            },
        )
        .await
    }
}

async fn the_access_log_is_kept_append_only_as_one_unbroken_chain<S: Backend>() {
    let (store, anna, lotte, _) = care_team::<S>().await;
    let chain = audit_chain("vault-anna", "anna", 6);

    let (status, body) = anna.upload_audit(&chain[..3]).await;
    assert_eq!(
        (status, &body["stored_through"]),
        (200, &serde_json::json!(3)),
        "{body}"
    );
    let (status, body) = anna.upload_audit(&chain[..5]).await;
    assert_eq!(
        (status, &body["stored_through"]),
        (200, &serde_json::json!(5)),
        "entries the store holds may come again (a lost answer); the rest are appended: {body}"
    );

    // The same seq with other content: a valid entry on its own, but the
    // store already holds a different one there.
    let mut rewritten = chain[..2].to_vec();
    rewritten[1].action = "update".to_owned();
    rewritten[1].hash = rewritten[1].expected_hash();
    let (status, body) = anna.upload_audit(&rewritten).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid")),
        "{body}"
    );

    // An altered entry whose hash no longer fits.
    let mut altered = chain[5].clone();
    altered.record_id = Some("note-99".to_owned());
    let (status, body) = anna.upload_audit(&[altered]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid")),
        "{body}"
    );

    // Another device, even one of Anna's own, cannot add to this chain or
    // start a chain under its id.
    let tablet = Device::new(&store, "anna-tablet", "anna");
    let (status, body) = tablet.upload_audit(&chain[5..]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let squatted = audit_chain("vault-anna-2", "anna", 1);
    assert_eq!(tablet.upload_audit(&squatted).await.0, 200, "its own chain");
    assert_eq!(
        anna.upload_audit(&squatted).await.0,
        403,
        "and that one is the tablet's"
    );

    // A gap: entry 6 is left out.
    let longer = audit_chain("vault-anna", "anna", 7);
    let (status, body) = anna.upload_audit(&longer[6..]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid")),
        "{body}"
    );

    // A device uploads only its own practitioner's log.
    let (status, body) = lotte.upload_audit(&chain[5..]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );

    let (status, body) = anna.upload_audit(&chain[5..]).await;
    assert_eq!(
        (status, &body["stored_through"]),
        (200, &serde_json::json!(6)),
        "{body}"
    );

    // Past the store's code, the database itself refuses to change history.
    for sql in [
        "UPDATE audit_log SET action = 'print' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 6",
    ] {
        let refused = S::execute_directly(store.directory.path(), sql)
            .expect_err("the access log is append-only");
        assert!(refused.contains("append-only"), "{refused}");
    }
}

on_both_back_ends!(
    a_pushed_record_comes_back_in_the_feed_once_and_a_replay_changes_nothing,
    an_edit_on_an_old_base_version_is_a_conflict,
    a_signed_note_is_immutable_and_a_deleted_draft_leaves_a_tombstone,
    each_device_receives_and_writes_only_what_its_practitioner_may,
    malformed_oversized_and_wrong_version_requests_get_an_error_body,
    the_access_log_is_kept_append_only_as_one_unbroken_chain,
);
