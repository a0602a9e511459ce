use uuid::Uuid;

use super::*;
use crate::records::{NoteSection, NoteStatus, NoteTemplate, Role, Visibility};

fn note(status: NoteStatus) -> NoteRecord {
    let signed = status == NoteStatus::Signed;
    NoteRecord {
        id: "note-1".to_owned(),
        client_id: "client-1".to_owned(),
        consult_id: None,
        author_id: "anna".to_owned(),
        author_name: "Anna de Vries".to_owned(),
        author_role: Role::Psychologist,
        template: NoteTemplate::Free,
        visibility: Visibility::CareTeam,
        status,
        sections: vec![NoteSection {
            key: "text".to_owned(),
            text: "Eén goede week.".to_owned(),
        }],
        created_at: "2026-11-25T09:00:00Z".to_owned(),
        signed_at: signed.then(|| "2026-11-25T09:30:00Z".to_owned()),
        signed_by: signed.then(|| "Anna de Vries".to_owned()),
        content_hash: signed.then(|| "ab".repeat(32)),
    }
}

fn push(operations: Vec<Operation>) -> PushRequest {
    PushRequest {
        protocol_version: PROTOCOL_VERSION,
        operations,
    }
}

fn upsert(record: Record) -> Operation {
    Operation {
        op_id: Uuid::new_v4(),
        action: Action::Upsert {
            record: Box::new(record),
            base_version: None,
        },
    }
}

#[test]
fn a_push_round_trips_through_json_with_tagged_variants() {
    let request = push(vec![upsert(Record::Note(note(NoteStatus::Signed)))]);
    let json = serde_json::to_value(&request).expect("serialise");
    assert_eq!(json["operations"][0]["action"]["type"], "upsert");
    assert_eq!(
        json["operations"][0]["action"]["record"]["record_kind"],
        "note"
    );
    let back: PushRequest = serde_json::from_value(json).expect("parse");
    assert_eq!(back, request);
    back.validate().expect("valid");
}

#[test]
fn unknown_fields_and_unknown_variants_are_refused() {
    let mut json = serde_json::to_value(push(vec![])).expect("serialise");
    json["surprise"] = true.into();
    assert!(serde_json::from_value::<PushRequest>(json).is_err());
    let change = serde_json::json!({"seq": 1, "version": 1, "payload": {"type": "explode"}});
    assert!(serde_json::from_value::<Change>(change).is_err());
}

#[test]
fn another_version_is_refused_with_its_code() {
    // Version 1 had no privacy log on the client; an older app is told so.
    let request = PullRequest {
        protocol_version: 1,
        cursor: 0,
        limit: 100,
    };
    let error = request.validate().expect_err("version 1");
    assert_eq!(error.code(), ErrorCode::UnsupportedVersion);
    assert_eq!(error.body().code, ErrorCode::UnsupportedVersion);
    let json = serde_json::to_value(error.body()).expect("serialise");
    assert_eq!(json["code"], "unsupported_version");
}

#[test]
fn limits_are_enforced() {
    let too_many = push(
        (0..=MAX_OPERATIONS_PER_PUSH)
            .map(|_| upsert(Record::Note(note(NoteStatus::Draft))))
            .collect(),
    );
    assert_eq!(
        too_many.validate().expect_err("too many").code(),
        ErrorCode::TooLarge
    );

    let mut long = note(NoteStatus::Draft);
    long.sections[0].text = "x".repeat(MAX_TEXT_CHARS + 1);
    let error = push(vec![upsert(Record::Note(long))])
        .validate()
        .expect_err("too long");
    assert_eq!(
        error,
        ProtocolError::TooLong {
            field: "sections.text"
        }
    );

    for limit in [0, MAX_CHANGES_PER_PULL + 1] {
        let request = PullRequest {
            protocol_version: PROTOCOL_VERSION,
            cursor: 0,
            limit,
        };
        assert!(request.validate().is_err(), "limit {limit}");
    }
}

#[test]
fn a_replayed_operation_id_within_one_push_is_refused() {
    let operation = upsert(Record::Note(note(NoteStatus::Draft)));
    let request = push(vec![operation.clone(), operation]);
    assert!(matches!(
        request.validate(),
        Err(ProtocolError::Invalid { field: "op_id", .. })
    ));
}

#[test]
fn a_note_claims_signed_fields_only_when_signed() {
    let mut draft_with_hash = note(NoteStatus::Draft);
    draft_with_hash.content_hash = Some("ab".repeat(32));
    assert!(
        push(vec![upsert(Record::Note(draft_with_hash))])
            .validate()
            .is_err()
    );
    let mut signed_without = note(NoteStatus::Signed);
    signed_without.signed_by = None;
    assert!(
        push(vec![upsert(Record::Note(signed_without))])
            .validate()
            .is_err()
    );
}

#[test]
fn bad_ids_are_refused() {
    let mut bad = note(NoteStatus::Draft);
    bad.client_id = "has space".to_owned();
    assert!(push(vec![upsert(Record::Note(bad))]).validate().is_err());
    let delete = Operation {
        op_id: Uuid::new_v4(),
        action: Action::Delete {
            target: RecordRef {
                kind: RecordKind::Note,
                id: String::new(),
            },
            base_version: 1,
        },
    };
    assert!(push(vec![delete]).validate().is_err());
}

#[test]
fn every_kind_of_record_round_trips_even_with_a_field_named_kind() {
    use crate::records::{ConsultKind, ConsultRecord, ConsultStatus};
    let consult = Record::Consult(ConsultRecord {
        id: "consult-1".to_owned(),
        client_ids: vec!["client-1".to_owned()],
        practitioner_id: "anna".to_owned(),
        kind: ConsultKind::Video,
        starts_at: "2026-11-25T09:00:00Z".to_owned(),
        duration_minutes: 50,
        status: ConsultStatus::Planned,
        series_id: None,
        link: None,
    });
    let request = push(vec![upsert(consult)]);
    let json = serde_json::to_string(&request).expect("serialise");
    let back: PushRequest = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, request);
}

/// Two entries whose fields differ only in where a unit separator falls hash
/// alike in the first encoding, and apart in the second; the protocol now
/// refuses such fields anyway.
#[test]
fn the_second_access_log_encoding_is_unambiguous_where_the_first_was_not() {
    let entry = |actor_name: &str, actor_role: &str, hash_version: u32| AuditEntry {
        chain_id: "vault-1".to_owned(),
        seq: 1,
        id: "e1".to_owned(),
        occurred_at: "2026-11-25T09:00:00Z".to_owned(),
        actor_id: "anna".to_owned(),
        actor_name: actor_name.to_owned(),
        actor_role: actor_role.to_owned(),
        on_behalf_of: None,
        action: "read".to_owned(),
        client_id: None,
        record_part: "client".to_owned(),
        record_id: None,
        outcome: "success".to_owned(),
        prev_hash: crate::audit::GENESIS_HASH.to_owned(),
        hash: String::new(),
        hash_version,
    };
    let first = entry("Anna\u{1f}psychologist", "x", 1);
    let second = entry("Anna", "psychologist\u{1f}x", 1);
    assert_eq!(first.expected_hash(), second.expected_hash(), "v1 collides");
    let first = entry("Anna\u{1f}psychologist", "x", 2);
    let second = entry("Anna", "psychologist\u{1f}x", 2);
    assert_ne!(first.expected_hash(), second.expected_hash());

    let mut sent = entry("Anna\u{1f}psychologist", "x", 2);
    sent.hash = sent.expected_hash();
    let upload = crate::AuditUploadRequest {
        protocol_version: PROTOCOL_VERSION,
        entries: vec![sent],
    };
    assert!(matches!(
        upload.validate(),
        Err(ProtocolError::Invalid {
            field: "actor_name",
            ..
        })
    ));
    // An entry from before the versioning, without the field, is version 1.
    let mut old = entry("Anna", "psychologist", 1);
    old.hash = old.expected_hash();
    let mut json = serde_json::to_value(&old).expect("json");
    json.as_object_mut().expect("object").remove("hash_version");
    let back: AuditEntry = serde_json::from_value(json).expect("parse");
    assert_eq!(back.hash_version, 1);
    assert_eq!(back.expected_hash(), back.hash);
}

fn check_in(status: NoteStatus, answers: [&str; 5]) -> NoteRecord {
    let mut record = note(status);
    record.template = NoteTemplate::LifestyleCheckIn;
    record.sections = NoteTemplate::LifestyleCheckIn
        .section_keys()
        .iter()
        .map(|key| NoteSection {
            key: (*key).to_owned(),
            text: records::WHO5_ITEMS
                .iter()
                .position(|item| item == key)
                .map_or("Slaapt beter.", |index| answers[index])
                .to_owned(),
        })
        .collect();
    record
}

fn score_of(record: &NoteRecord) -> Option<u8> {
    records::who5_score(
        record
            .sections
            .iter()
            .map(|section| (section.key.as_str(), section.text.as_str())),
    )
}

#[test]
fn the_who5_score_is_four_times_the_sum_of_five_answers() {
    assert_eq!(score_of(&check_in(NoteStatus::Signed, ["5"; 5])), Some(100));
    assert_eq!(score_of(&check_in(NoteStatus::Signed, ["0"; 5])), Some(0));
    assert_eq!(
        score_of(&check_in(NoteStatus::Signed, ["3", "2", "4", "1", "3"])),
        Some(52)
    );
    assert_eq!(score_of(&check_in(NoteStatus::Signed, [""; 5])), None);
    assert_eq!(
        score_of(&check_in(NoteStatus::Draft, ["3", "", "", "", ""])),
        None
    );
}

#[test]
fn who5_answers_are_digits_and_a_signed_check_in_has_all_or_none() {
    let valid = |record: NoteRecord| push(vec![upsert(Record::Note(record))]).validate();
    assert!(valid(check_in(NoteStatus::Signed, ["4"; 5])).is_ok());
    assert!(valid(check_in(NoteStatus::Signed, [""; 5])).is_ok());
    // A draft may be half answered; a signed note may not.
    assert!(valid(check_in(NoteStatus::Draft, ["4", "", "", "", ""])).is_ok());
    for refused in [
        check_in(NoteStatus::Signed, ["4", "", "", "", ""]),
        // Free text where a number belongs would reach the employer report's
        // arithmetic: refused, whoever pushes it.
        check_in(NoteStatus::Draft, ["6", "", "", "", ""]),
        check_in(NoteStatus::Draft, ["Jan de Boer", "", "", "", ""]),
        check_in(NoteStatus::Draft, [" 3", "", "", "", ""]),
    ] {
        let error = valid(refused).expect_err("refused");
        assert!(
            matches!(
                error,
                ProtocolError::Invalid {
                    field: "sections",
                    ..
                }
            ),
            "{error:?}"
        );
    }
}

#[test]
fn a_withdrawn_health_consent_comes_with_a_restriction_and_only_a_refusal_has_a_reason() {
    use crate::records::{ClientRecord, PrivacyEvent, PrivacyEventKind};
    let client = |withdrawn: bool, restricted: bool, reason: Option<&str>, kind| {
        Record::Client(ClientRecord {
            id: "client-1".to_owned(),
            client_code: "C-ABCDE".to_owned(),
            first_name: "Noor".to_owned(),
            last_name: None,
            email: "noor@example.nl".to_owned(),
            birth_year: 1990,
            phone: "0612345678".to_owned(),
            employer: None,
            care_start: "2026-01-01".to_owned(),
            care_end: None,
            remarks: String::new(),
            health_data_consent_date: "2026-01-01".to_owned(),
            employer_reporting_opt_in: false,
            employer_reporting_date: None,
            restricted,
            health_data_consent_withdrawn: withdrawn.then(|| "2026-02-01".to_owned()),
            privacy_log: vec![PrivacyEvent {
                on: "2026-02-01".to_owned(),
                kind,
                by: "Anna".to_owned(),
                reason: reason.map(str::to_owned),
            }],
        })
    };
    let valid = |record: Record| push(vec![upsert(record)]).validate();
    assert!(
        valid(client(
            true,
            true,
            None,
            PrivacyEventKind::HealthDataConsentWithdrawn
        ))
        .is_ok()
    );
    assert!(
        valid(client(
            false,
            false,
            Some("WGBO"),
            PrivacyEventKind::ErasureRefused
        ))
        .is_ok()
    );
    let mut undated = client(false, false, None, PrivacyEventKind::Restricted);
    if let Record::Client(record) = &mut undated {
        record.privacy_log[0].on = "gisteren".to_owned();
    }
    for refused in [
        undated,
        client(
            true,
            false,
            None,
            PrivacyEventKind::HealthDataConsentWithdrawn,
        ),
        client(false, false, None, PrivacyEventKind::ErasureRefused),
        client(false, false, Some("why"), PrivacyEventKind::Restricted),
    ] {
        assert!(
            matches!(valid(refused), Err(ProtocolError::Invalid { .. })),
            "refused"
        );
    }
}
