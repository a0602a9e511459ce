//! Changes made on two sides that wait for the author.

use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_testkit::{Backend, on_both_back_ends};

use crate::support::*;

async fn two_devices_editing_different_fields_of_a_client_offline_both_keep_their_change<
    S: Backend,
>() {
    let (_store, anna, bram, client) = shared_client::<S>().await;

    // Both edit while offline: Anna the remarks, Bram the phone number.
    let mut anna_edit = sample_client();
    anna_edit.remarks = "Werkt sinds oktober overdag.".to_owned();
    anna.kluis
        .update_client(&client.id, anna_edit)
        .expect("anna edits");
    let mut bram_edit = sample_client();
    bram_edit.phone = "06 5555 0000".to_owned();
    bram.kluis
        .update_client(&client.id, bram_edit)
        .expect("bram edits");

    anna.sync("anna first").await;
    let report = bram.sync("bram second").await;
    assert_eq!(
        report.conflicts, 1,
        "the store saw Bram's edit was on an old version"
    );
    bram.sync("bram sends the merge").await;
    anna.sync("anna receives it").await;

    for (who, laptop) in [("Anna", &anna), ("Bram", &bram)] {
        let merged = laptop.kluis.get_client(&client.id).expect("client");
        assert_eq!(
            merged.input.remarks, "Werkt sinds oktober overdag.",
            "{who}: Anna's change"
        );
        assert_eq!(merged.input.phone, "06 5555 0000", "{who}: Bram's change");
        assert!(
            laptop.kluis.sync_next_batch(10).expect("batch").is_empty(),
            "{who}: nothing pending"
        );
    }
}

async fn a_draft_edited_on_two_devices_of_its_author_keeps_both_versions_until_the_author_chooses<
    S: Backend,
>() {
    use kluis_core::record::notes::{NewNote, NoteTemplate, Visibility};
    use kluis_core::record::practitioner::Role as CoreRole;
    use kluis_core::sync::conflicts::ConflictChoice;
    use kluis_core::sync::outbox::RecordKind;

    let store = start_store_on::<S>("nl").await;
    let desk = store.laptop("Anna", CoreRole::Psychologist);
    let travel = store.second_laptop(&desk, "Anna", CoreRole::Psychologist);
    let client = desk.kluis.create_client(sample_client()).expect("client");
    let note = desk
        .kluis
        .create_note(NewNote {
            client_id: client.id.clone(),
            consult_id: None,
            template: NoteTemplate::Free,
            visibility: Visibility::CareTeam,
        })
        .expect("draft");
    desk.kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "eerste versie"))
        .expect("typed");
    desk.sync("desk pushes").await;
    travel.sync("travel pulls").await;
    assert_eq!(
        travel
            .kluis
            .get_note(&note.id)
            .expect("draft on the second device")
            .sections,
        sections(NoteTemplate::Free, "eerste versie"),
        "the author's own draft reaches her other device"
    );

    // Both devices edit the draft offline.
    desk.kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "aan het bureau"))
        .expect("desk edits");
    travel
        .kluis
        .save_draft(&note.id, sections(NoteTemplate::Free, "in de trein"))
        .expect("travel edits");
    desk.sync("desk first").await;
    let report = travel.sync("travel second").await;
    assert_eq!(report.conflicts, 1);

    // Both versions are kept: the store's in the note, this device's beside it.
    let conflicts = travel.kluis.sync_conflicts().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let conflict = &conflicts[0];
    assert_eq!(conflict.kind, RecordKind::Note);
    assert_eq!(conflict.record_id, note.id);
    assert_eq!(conflict.refusal, None);
    assert_eq!(conflict.fields.len(), 1);
    assert_eq!(conflict.fields[0].mine, "text: in de trein");
    assert_eq!(conflict.fields[0].theirs, "text: aan het bureau");
    assert_eq!(
        travel.kluis.get_note(&note.id).expect("note").sections,
        sections(NoteTemplate::Free, "aan het bureau")
    );
    assert_eq!(travel.kluis.sync_conflict_count().expect("count"), 1);

    // The author keeps the version from the train; it reaches the desk.
    travel
        .kluis
        .resolve_sync_conflict(RecordKind::Note, &note.id, ConflictChoice::KeepMine)
        .expect("resolve");
    assert_eq!(travel.kluis.sync_conflict_count().expect("count"), 0);
    let report = travel.sync("travel sends the choice").await;
    assert_eq!((report.pushed, report.conflicts), (1, 0));
    desk.sync("desk pulls").await;
    for (which, laptop) in [("desk", &desk), ("travel", &travel)] {
        assert_eq!(
            laptop.kluis.get_note(&note.id).expect("note").sections,
            sections(NoteTemplate::Free, "in de trein"),
            "{which}"
        );
        assert!(
            laptop.kluis.sync_conflicts().expect("conflicts").is_empty(),
            "{which}"
        );
    }
}

async fn a_client_field_changed_on_both_sides_waits_for_the_author_and_the_rest_merges<
    S: Backend,
>() {
    use kluis_core::sync::conflicts::ConflictChoice;
    use kluis_core::sync::outbox::RecordKind;

    let (_store, anna, bram, client) = shared_client::<S>().await;

    // Both change the phone number; Bram also the remarks.
    let mut anna_edit = sample_client();
    anna_edit.phone = "06 1111 1111".to_owned();
    anna.kluis
        .update_client(&client.id, anna_edit)
        .expect("anna edits");
    let mut bram_edit = sample_client();
    bram_edit.phone = "06 2222 2222".to_owned();
    bram_edit.remarks = "Liever 's ochtends bellen.".to_owned();
    bram.kluis
        .update_client(&client.id, bram_edit)
        .expect("bram edits");
    anna.sync("anna first").await;
    bram.sync("bram second").await;

    let conflicts = bram.kluis.sync_conflicts().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, RecordKind::Client);
    assert_eq!(
        conflicts[0].client_code.as_deref(),
        Some(client.client_code.as_str())
    );
    let fields: Vec<(&str, &str, &str)> = conflicts[0]
        .fields
        .iter()
        .map(|field| {
            (
                field.key.as_str(),
                field.mine.as_str(),
                field.theirs.as_str(),
            )
        })
        .collect();
    assert_eq!(fields, [("phone", "06 2222 2222", "06 1111 1111")]);
    let merged = bram.kluis.get_client(&client.id).expect("client");
    assert_eq!(
        merged.input.phone, "06 1111 1111",
        "the store's value until Bram chooses"
    );
    assert_eq!(merged.input.remarks, "Liever 's ochtends bellen.", "merged");

    bram.kluis
        .resolve_sync_conflict(RecordKind::Client, &client.id, ConflictChoice::KeepMine)
        .expect("keep mine");
    bram.sync("bram sends").await;
    anna.sync("anna pulls").await;
    for (who, laptop) in [("Anna", &anna), ("Bram", &bram)] {
        let client = laptop.kluis.get_client(&client.id).expect("client");
        assert_eq!(client.input.phone, "06 2222 2222", "{who}");
        assert_eq!(client.input.remarks, "Liever 's ochtends bellen.", "{who}");
        assert!(
            laptop.kluis.sync_conflicts().expect("conflicts").is_empty(),
            "{who}"
        );
    }
}

on_both_back_ends!(
    two_devices_editing_different_fields_of_a_client_offline_both_keep_their_change,
    a_draft_edited_on_two_devices_of_its_author_keeps_both_versions_until_the_author_chooses,
    a_client_field_changed_on_both_sides_waits_for_the_author_and_the_rest_merges,
);
