//! A client's copy of their record (SPEC §6): the JSON validates against the
//! published schema (`docs/export/client-export-v2.schema.json`) and holds
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
        .join("../../docs/export/client-export-v2.schema.json");
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

fn pdf_text(path: &str) -> String {
    let output = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(output.status.success(), "pdftotext read {path}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_copy_is_written_as_json_and_a_readable_pdf_in_the_users_language() {
    let test = TestProfile::new();
    let kluis = test.create(Role::Psychologist);
    let sentinel = format!("zq{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let client = kluis.create_client(sample_client("Zoë")).expect("client");
    let shared = free_note(
        &kluis,
        &client.id,
        Visibility::CareTeam,
        &format!("gesprek over slaap ({sentinel})"),
    );
    kluis.sign_note(&shared).expect("signed");
    free_note(
        &kluis,
        &client.id,
        Visibility::Private,
        "privé werkaantekening: eigen hypothese",
    );
    kluis
        .refuse_erasure(&client.id, "Bewaarplicht WGBO voor het behandeldossier.")
        .expect("refusal recorded");
    let directory = tempfile::tempdir().expect("directory");

    let mut steps = Vec::new();
    let files = kluis
        .write_client_export(
            &client.id,
            kluis_core::Language::Nl,
            directory.path(),
            &mut |step| steps.push(step),
        )
        .expect("export written");
    assert!(
        files.pdf_path.contains(&client.client_code) && !files.pdf_path.contains("Zoë"),
        "the file is named by the client code, never the name: {}",
        files.pdf_path
    );
    let last = steps.last().expect("progress reported");
    assert_eq!(last.done, last.total, "progress ends at the total");
    assert!(
        steps.windows(2).all(|pair| pair[0].done <= pair[1].done),
        "progress only moves forward: {steps:?}"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&files.json_path).expect("json file")).expect("json");
    assert!(
        jsonschema::validator_for(&schema())
            .expect("schema")
            .is_valid(&json)
    );

    let dutch = pdf_text(&files.pdf_path);
    for expected in [
        sentinel.as_str(),
        "Inzage in het dossier van Zoë",
        client.client_code.as_str(),
        "Wie heeft uw dossier ingezien",
        "Persoonlijke werkaantekeningen",
        "Aantal weggelaten: 1",
        // The privacy history is a table whose cells wrap: words, not lines.
        "Privacygeschiedenis",
        "Verzoek om wissen",
        "geweigerd",
        "Bewaarplicht",
    ] {
        assert!(
            dutch.contains(expected),
            "{expected:?} missing from:\n{dutch}"
        );
    }
    assert!(!dutch.contains("privé werkaantekening: eigen hypothese"));

    let english = kluis
        .write_client_export(
            &client.id,
            kluis_core::Language::En,
            directory.path(),
            &mut |_| {},
        )
        .expect("English export");
    let english = pdf_text(&english.pdf_path);
    assert!(english.contains("Copy of the record of Zoë"), "{english}");
    assert!(english.contains("Who looked at your record"));
    assert!(english.contains(&sentinel));

    let exports = kluis
        .client_access_log(&client.id)
        .expect("log")
        .iter()
        .filter(|event| event.action.as_str() == "export")
        .count();
    assert_eq!(exports, 2, "each written copy is logged");
}
