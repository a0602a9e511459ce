//! A client's copy of their record (SPEC §6): the JSON validates against the
//! published schema (`docs/export/client-export-v1.schema.json`) and holds
//! the sentinel note with its addendum; the exporter's private work note is
//! left out and counted; the export is in the access log.

use kluis_core::CoreError;
use kluis_core::record::clients::ClientInput;
use kluis_core::record::consults::{ConsultInput, ConsultKind};
use kluis_core::record::notes::Visibility;
use kluis_core::record::practitioner::Role;
use kluis_testkit::fixtures::sample_client;

use crate::support::{TestProfile, free_note};

fn schema() -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/export/client-export-v1.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("schema")
}

#[test]
fn an_export_validates_holds_the_record_leaves_private_notes_out_and_is_logged() {
    let test = TestProfile::new();
    let kluis = test.create(Role::Psychologist);
    let sentinel = format!("zq{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let client = kluis
        .create_client(ClientInput {
            remarks: "Verwezen door de huisarts.".to_owned(),
            ..sample_client("Noor")
        })
        .expect("client");
    let shared = free_note(
        &kluis,
        &client.id,
        Visibility::CareTeam,
        &format!("gesprek over slaap ({sentinel})"),
    );
    kluis.sign_note(&shared).expect("signed");
    kluis
        .add_addendum(&shared, "aanvulling", "later nagebeld")
        .expect("addendum");
    free_note(
        &kluis,
        &client.id,
        Visibility::Private,
        "privé werkaantekening: eigen hypothese",
    );
    kluis
        .plan_consult(ConsultInput {
            client_ids: vec![client.id.clone()],
            kind: ConsultKind::Video,
            date: "2026-12-14".to_owned(),
            time: "10:00".to_owned(),
            duration_minutes: 50,
            link: None,
            recurrence: None,
        })
        .expect("consult");

    let export = kluis.export_client(&client.id).expect("export");
    let json = serde_json::to_value(&export).expect("json");
    let validator = jsonschema::validator_for(&schema()).expect("a valid schema");
    let problems: Vec<String> = validator
        .iter_errors(&json)
        .map(|error| format!("{} at {}", error, error.instance_path))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");

    let text = json.to_string();
    assert!(text.contains(&sentinel), "the signed note is in the copy");
    assert!(text.contains("later nagebeld"), "with its addendum");
    assert!(
        !text.contains("privé werkaantekening"),
        "a private work note is not"
    );
    assert_eq!(export.private_notes_left_out, 1);
    assert_eq!(export.consults.len(), 1);
    assert_eq!(export.client.client_code, client.client_code);
    assert!(!export.access_log.is_empty(), "who accessed the record");

    let log = kluis.client_access_log(&client.id).expect("log");
    assert!(
        log.iter()
            .any(|event| event.action.as_str() == "export" && event.outcome.as_str() == "success"),
        "the export is in the access log"
    );

    // A schema that could not fail would prove nothing: a copy without the
    // client is refused by it.
    let mut broken = json.clone();
    broken.as_object_mut().expect("object").remove("client");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn a_client_not_on_the_care_team_cannot_be_exported() {
    let test = TestProfile::new();
    let kluis = test.create(Role::Psychologist);
    assert!(matches!(
        kluis.export_client("no-such-client"),
        Err(CoreError::NotFound(_))
    ));
}
