//! The store's feed as a device may receive it from a store that lets a
//! crafted record through (an older store, a colleague's forgery): records
//! that refer to what this device does not hold. The device applies what it
//! may see, moves on, and loses nothing written afterwards.

use kluis_core::CoreError;
use kluis_core::record::practitioner::Role;
use kluis_protocol::records::{
    AddendumRecord, ClientRecord, ConsultKind, ConsultRecord, ConsultStatus, NoteRecord,
    NoteSection, NoteStatus, NoteTemplate, Role as WireRole, Visibility,
};
use kluis_protocol::{Change, ChangePayload, PROTOCOL_VERSION, PullResponse, Record};

use crate::support::{PASSPHRASE, TestProfile, passphrase, sample_client};

fn change(seq: u64, record: Record) -> Change {
    Change {
        seq,
        version: 1,
        payload: ChangePayload::Record {
            record: Box::new(record),
        },
    }
}

fn note(id: &str, client_id: &str, consult_id: Option<&str>) -> Record {
    let mut note = NoteRecord {
        id: id.to_owned(),
        client_id: client_id.to_owned(),
        consult_id: consult_id.map(str::to_owned),
        author_id: "lotte".to_owned(),
        author_name: "Lotte Bakker".to_owned(),
        author_role: WireRole::Psychologist,
        template: NoteTemplate::Free,
        visibility: Visibility::CareTeam,
        status: NoteStatus::Signed,
        sections: vec![NoteSection {
            key: "text".to_owned(),
            text: "Samen het slaapdagboek besproken.".to_owned(),
        }],
        created_at: "2026-11-25T09:00:00Z".to_owned(),
        signed_at: Some("2026-11-25T09:30:00Z".to_owned()),
        signed_by: Some("Lotte Bakker".to_owned()),
        content_hash: None,
    };
    note.content_hash = Some(note.signed_content().hash());
    Record::Note(note)
}

#[test]
fn records_referring_to_what_this_device_does_not_hold_never_wedge_its_sync() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let mine = kluis.create_client(sample_client("Sanne")).expect("client");
    let cursor_before = kluis.sync_cursor().expect("cursor");

    let response = PullResponse {
        protocol_version: PROTOCOL_VERSION,
        changes: vec![
            // A group consult with a client this device never holds.
            change(
                101,
                Record::Consult(ConsultRecord {
                    id: "group-1".to_owned(),
                    client_ids: vec![mine.id.clone(), "client-not-here".to_owned()],
                    practitioner_id: "lotte".to_owned(),
                    kind: ConsultKind::GroupSession,
                    starts_at: "2026-12-08T09:00:00Z".to_owned(),
                    duration_minutes: 90,
                    status: ConsultStatus::Planned,
                    series_id: None,
                    link: None,
                }),
            ),
            // A note on a consult that does not exist.
            change(102, note("note-nowhere", &mine.id, Some("consult-nowhere"))),
            // A note for a client that is not here, and an addendum to it.
            change(103, note("note-stranger", "client-not-here", None)),
            change(
                104,
                Record::Addendum(AddendumRecord {
                    id: "addendum-stranger".to_owned(),
                    note_id: "note-stranger".to_owned(),
                    author_id: "lotte".to_owned(),
                    author_name: "Lotte Bakker".to_owned(),
                    reason: "Aanvulling".to_owned(),
                    text: "Ook besproken: werk.".to_owned(),
                    created_at: "2026-11-25T10:00:00Z".to_owned(),
                }),
            ),
            // A note whose client arrives later in the same page.
            change(105, note("note-early", "client-later", None)),
            change(
                106,
                Record::Client(ClientRecord {
                    id: "client-later".to_owned(),
                    client_code: "C-LATER".to_owned(),
                    first_name: "Noor".to_owned(),
                    last_name: None,
                    email: "noor@example.nl".to_owned(),
                    birth_year: 1990,
                    phone: "06 1234 5678".to_owned(),
                    employer: None,
                    care_start: "2026-11-01".to_owned(),
                    care_end: None,
                    remarks: String::new(),
                    health_data_consent_date: "2026-11-01".to_owned(),
                    employer_reporting_opt_in: false,
                    employer_reporting_date: None,
                    restricted: false,
                    health_data_consent_withdrawn: None,
                    privacy_log: Vec::new(),
                }),
            ),
        ],
        cursor: 106,
        more: false,
        remaining: 0,
    };
    kluis
        .sync_apply_pull(&response)
        .expect("the page applies with what this device may see");
    assert_eq!(kluis.sync_cursor().expect("cursor"), 106);
    assert_ne!(cursor_before, 106);

    let consult = kluis.get_consult("group-1").expect("the consult is here");
    let clients: Vec<&str> = consult
        .clients
        .iter()
        .map(|client| client.id.as_str())
        .collect();
    assert_eq!(clients, vec![mine.id.as_str()], "only the client held");
    assert_eq!(
        kluis.get_note("note-nowhere").expect("note").consult_id,
        None,
        "the note without the consult that is not here"
    );
    assert!(
        matches!(
            kluis.get_note("note-stranger"),
            Err(CoreError::NotFound("note"))
        ),
        "left out"
    );
    assert!(
        kluis.get_note("note-early").is_ok(),
        "kept: its client came in the same page"
    );

    // The vault is not left inside a failed transaction: what is written
    // now survives a lock.
    let written = kluis
        .create_client(sample_client("Mila"))
        .expect("a client written afterwards");
    assert!(kluis.lock().was_unlocked);
    kluis.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    assert_eq!(
        kluis
            .get_client(&written.id)
            .expect("still there")
            .input
            .first_name,
        "Mila"
    );
}
