//! The clinical record on a real SQLCipher vault: the note lifecycle, the role
//! matrix, search and the access log's hash chain. Several practitioners act
//! on one vault, as they will once sync brings in the care team's records.

use kluis_core::CoreError;
use kluis_core::audit::{self, AuditAction, AuditOutcome, RecordPart};
use kluis_core::record::clients::ClientRepository;
use kluis_core::record::consults::{ConsultInput, ConsultKind, ConsultRepository, ConsultStatus};
use kluis_core::record::notes::{
    NewNote, NoteRepository, NoteSection, NoteStatus, NoteTemplate, Visibility,
};
use kluis_core::record::practitioner::{Practitioner, Role};
use kluis_core::record::scope::Scope;
use kluis_core::record::search::{self, SearchHitKind};
use kluis_core::record::timeline::{self, TimelineKind};
use kluis_core::vault::db;
use kluis_core::vault::header::SqlcipherSettings;
use kluis_core::vault::secret::DataKey;
use rusqlite::Connection;

use crate::support::sample_client;

const DEVICE: &str = "test-device";

/// A vault database with a care team: psychologist Anna (owner, assigned),
/// lifestyle expert Lotte (assigned), psychologist Bram and lifestyle expert
/// Mila (neither assigned).
struct CareTeam {
    _directory: tempfile::TempDir,
    connection: Connection,
    anna: Practitioner,
    lotte: Practitioner,
    bram: Practitioner,
    mila: Practitioner,
    client_id: String,
}

impl CareTeam {
    fn new() -> Self {
        let directory = tempfile::tempdir().expect("tempdir");
        let settings = SqlcipherSettings::recommended(db::cipher_version().expect("version"));
        let mut connection = db::open_encrypted(
            &directory.path().join("vault.db"),
            &DataKey::generate(),
            &settings,
            true,
        )
        .expect("open");
        db::migrate(&mut connection).expect("migrate");
        let anna = Practitioner::new("Anna de Vries", Role::Psychologist).expect("anna");
        let lotte = Practitioner::new("Lotte Bakker", Role::LifestyleExpert).expect("lotte");
        let bram = Practitioner::new("Bram Visser", Role::Psychologist).expect("bram");
        let mila = Practitioner::new("Mila Jansen", Role::LifestyleExpert).expect("mila");
        let client_id = {
            let clients = ClientRepository::new(Scope::new(&connection, &anna, DEVICE));
            let mut input = sample_client("Sanne");
            input.remarks = "Werkt als verpleegkundige in ploegendienst.".to_owned();
            let client = clients.create(input).expect("client");
            clients.assign(&client.id, &lotte.id).expect("assign lotte");
            client.id
        };
        Self {
            _directory: directory,
            connection,
            anna,
            lotte,
            bram,
            mila,
            client_id,
        }
    }

    fn scope<'a>(&'a self, who: &'a Practitioner) -> Scope<'a> {
        Scope::new(&self.connection, who, DEVICE)
    }

    fn notes<'a>(&'a self, who: &'a Practitioner) -> NoteRepository<'a> {
        NoteRepository::new(self.scope(who))
    }

    fn new_note(&self, template: NoteTemplate, visibility: Visibility) -> NewNote {
        NewNote {
            client_id: self.client_id.clone(),
            consult_id: None,
            template,
            visibility,
        }
    }

    /// Writes and signs a note as `author`, with `text` in every section.
    fn signed_note(
        &self,
        author: &Practitioner,
        template: NoteTemplate,
        visibility: Visibility,
        text: &str,
    ) -> String {
        let notes = self.notes(author);
        let note = notes
            .create(self.new_note(template, visibility))
            .expect("create");
        notes
            .save_draft(&note.id, filled(template, text))
            .expect("save");
        notes.sign(&note.id).expect("sign");
        note.id
    }
}

fn filled(template: NoteTemplate, text: &str) -> Vec<NoteSection> {
    template
        .section_keys()
        .iter()
        .map(|key| NoteSection {
            key: (*key).to_owned(),
            // The WHO-5 answers of a check-in are digits, nothing else.
            text: if kluis_protocol::records::is_who5_item(key) {
                "3".to_owned()
            } else {
                format!("{key}: {text}")
            },
        })
        .collect()
}

#[test]
fn a_note_goes_from_draft_to_signed_to_amended_and_a_signed_note_never_changes() {
    let team = CareTeam::new();
    let notes = team.notes(&team.anna);
    let note = notes
        .create(team.new_note(NoteTemplate::Soap, Visibility::CareTeam))
        .expect("create");
    assert_eq!(note.status, NoteStatus::Draft);
    assert_eq!(
        note.sections
            .iter()
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>(),
        ["subjective", "objective", "assessment", "plan"]
    );
    assert!(
        notes.sign(&note.id).is_err(),
        "an empty note cannot be signed"
    );

    let saved = notes
        .save_draft(&note.id, filled(NoteTemplate::Soap, "slaapt slecht"))
        .expect("autosave");
    assert_eq!(saved.version, 2);
    let wrong_sections = filled(NoteTemplate::Dap, "x");
    assert!(matches!(
        notes.save_draft(&note.id, wrong_sections),
        Err(CoreError::Validation {
            field: "sections",
            ..
        })
    ));

    let signed = notes.sign(&note.id).expect("sign");
    assert_eq!(signed.status, NoteStatus::Signed);
    assert_eq!(signed.signed_by.as_deref(), Some("Anna de Vries"));
    let hash = signed.content_hash.clone().expect("hash");
    assert_eq!(hash.len(), 64);
    assert_eq!(
        kluis_core::record::notes::content_hash(&signed).expect("hash"),
        hash,
        "the hash covers exactly the signed content"
    );

    // Editing, re-signing or discarding a signed note is refused by the core...
    assert!(matches!(
        notes.save_draft(&note.id, filled(NoteTemplate::Soap, "anders")),
        Err(CoreError::NoteSigned)
    ));
    assert!(matches!(notes.sign(&note.id), Err(CoreError::NoteSigned)));
    assert!(matches!(
        notes.discard_draft(&note.id),
        Err(CoreError::NoteSigned)
    ));
    // ...and by the database, whatever code asks.
    let direct = team
        .connection
        .execute("UPDATE note SET sections = '[]' WHERE id = ?1", [&note.id]);
    assert!(
        direct.is_err(),
        "the trigger refuses a change to a signed note"
    );

    let amended = notes
        .add_addendum(
            &note.id,
            "Typefout in plan",
            "Plan: over twee weken, niet drie.",
        )
        .expect("addendum");
    assert_eq!(amended.addenda.len(), 1);
    assert_eq!(amended.addenda[0].reason, "Typefout in plan");
    assert_eq!(amended.addenda[0].author_name, "Anna de Vries");
    assert_eq!(
        amended.sections, signed.sections,
        "the original stays as signed"
    );
    assert_eq!(amended.content_hash, signed.content_hash);
    // Neither the signed note nor its addendum can be deleted, whatever code
    // asks: the triggers name the rule.
    let deleted_note = team
        .connection
        .execute("DELETE FROM note WHERE id = ?1", [&note.id]);
    assert!(
        deleted_note
            .as_ref()
            .is_err_and(|error| error.to_string().contains("a signed note is never deleted")),
        "{deleted_note:?}"
    );
    let deleted_addendum = team.connection.execute(
        "DELETE FROM note_addendum WHERE id = ?1",
        [&amended.addenda[0].id],
    );
    assert!(
        deleted_addendum
            .as_ref()
            .is_err_and(|error| error.to_string().contains("an addendum is never deleted")),
        "{deleted_addendum:?}"
    );
    assert!(
        notes.add_addendum(&note.id, " ", "tekst").is_err(),
        "a reason is required"
    );
}

#[test]
fn role_matrix() {
    let team = CareTeam::new();
    let care_team_soap = team.signed_note(
        &team.anna,
        NoteTemplate::Soap,
        Visibility::CareTeam,
        "gedeeld",
    );
    let private_soap = team.signed_note(
        &team.anna,
        NoteTemplate::Soap,
        Visibility::Private,
        "werkaantekening",
    );
    let anna_draft = team
        .notes(&team.anna)
        .create(team.new_note(NoteTemplate::Dap, Visibility::CareTeam))
        .expect("draft")
        .id;
    let lotte_check_in = team.signed_note(
        &team.lotte,
        NoteTemplate::LifestyleCheckIn,
        Visibility::CareTeam,
        "wandelt dagelijks",
    );

    // Who may read what: (reader, note, readable).
    let reads = [
        (&team.anna, &care_team_soap, true),
        (&team.anna, &private_soap, true),
        (&team.anna, &anna_draft, true),
        (&team.anna, &lotte_check_in, true),
        (&team.lotte, &care_team_soap, true),
        (&team.lotte, &private_soap, false),
        (&team.lotte, &anna_draft, false),
        (&team.lotte, &lotte_check_in, true),
        (&team.bram, &care_team_soap, false),
        (&team.bram, &private_soap, false),
        (&team.mila, &care_team_soap, false),
        (&team.mila, &lotte_check_in, false),
    ];
    for (reader, note_id, readable) in reads {
        let result = team.notes(reader).get(note_id);
        assert_eq!(
            result.is_ok(),
            readable,
            "{} reading {note_id}: {result:?}",
            reader.display_name
        );
        if !readable {
            assert!(
                matches!(result, Err(CoreError::NotFound(_))),
                "hidden, not revealed"
            );
        }
    }

    // Who may write which template for the assigned client.
    let writes = [
        (&team.anna, NoteTemplate::Soap, true),
        (&team.anna, NoteTemplate::Dap, true),
        (&team.anna, NoteTemplate::LifestyleCheckIn, true),
        (&team.lotte, NoteTemplate::LifestyleCheckIn, true),
        (&team.lotte, NoteTemplate::Free, true),
        (&team.lotte, NoteTemplate::Soap, false),
        (&team.lotte, NoteTemplate::Dap, false),
        (&team.bram, NoteTemplate::Free, false),
        (&team.mila, NoteTemplate::LifestyleCheckIn, false),
    ];
    for (writer, template, allowed) in writes {
        let result = team
            .notes(writer)
            .create(team.new_note(template, Visibility::CareTeam));
        assert_eq!(
            result.is_ok(),
            allowed,
            "{} writing {template:?}: {result:?}",
            writer.display_name
        );
    }

    // Only the author edits or signs a draft.
    assert!(
        team.notes(&team.lotte)
            .save_draft(&anna_draft, filled(NoteTemplate::Dap, "x"))
            .is_err()
    );
    // An addendum needs the right to read the note and to write its template.
    assert!(
        team.notes(&team.lotte)
            .add_addendum(&care_team_soap, "aanvulling", "tekst")
            .is_err()
    );
    assert!(
        team.notes(&team.lotte)
            .add_addendum(&lotte_check_in, "aanvulling", "slaapt beter")
            .is_ok()
    );

    // Client records and consults: psychologists edit and plan; lifestyle
    // experts read the records of their clients only.
    let lotte_clients = ClientRepository::new(team.scope(&team.lotte));
    assert!(lotte_clients.get(&team.client_id).is_ok());
    assert!(matches!(
        lotte_clients.update(&team.client_id, sample_client("Anders")),
        Err(CoreError::PermissionDenied(_))
    ));
    assert!(
        ClientRepository::new(team.scope(&team.mila))
            .get(&team.client_id)
            .is_err()
    );
    let consult = ConsultInput {
        client_ids: vec![team.client_id.clone()],
        kind: ConsultKind::Video,
        date: "2026-12-01".to_owned(),
        time: "10:00".to_owned(),
        duration_minutes: 50,
        link: None,
        recurrence: None,
    };
    assert!(matches!(
        ConsultRepository::new(team.scope(&team.lotte)).plan(consult.clone()),
        Err(CoreError::PermissionDenied(_))
    ));
    assert!(
        ConsultRepository::new(team.scope(&team.bram))
            .plan(consult.clone())
            .is_err()
    );
    let planned = ConsultRepository::new(team.scope(&team.anna))
        .plan(consult)
        .expect("plan");
    assert!(
        ConsultRepository::new(team.scope(&team.lotte))
            .get(&planned[0].id)
            .is_ok()
    );
    assert!(
        ConsultRepository::new(team.scope(&team.mila))
            .get(&planned[0].id)
            .is_err()
    );

    // The timeline shows each reader what they may read, and nothing else.
    let lotte_timeline = timeline::for_client(&team.scope(&team.lotte), &team.client_id, &[], 200)
        .expect("timeline");
    let ids: Vec<&str> = lotte_timeline.iter().map(|item| item.id.as_str()).collect();
    assert!(ids.contains(&care_team_soap.as_str()));
    assert!(ids.contains(&lotte_check_in.as_str()));
    assert!(!ids.contains(&private_soap.as_str()));
    assert!(!ids.contains(&anna_draft.as_str()));
    assert!(timeline::for_client(&team.scope(&team.mila), &team.client_id, &[], 200).is_err());

    // Denied attempts are in the access log too.
    let log = audit::for_client(&team.scope(&team.anna), &team.client_id).expect("log");
    assert!(
        log.iter()
            .any(|event| event.actor_id == team.mila.id && event.outcome == AuditOutcome::Denied)
    );
    assert!(log.iter().any(|event| event.actor_id == team.lotte.id
        && event.action == AuditAction::Update
        && event.outcome == AuditOutcome::Denied));
}

#[test]
fn the_timeline_is_newest_first_and_filters_by_kind() {
    let team = CareTeam::new();
    let consults = ConsultRepository::new(team.scope(&team.anna));
    consults
        .plan(ConsultInput {
            client_ids: vec![team.client_id.clone()],
            kind: ConsultKind::Video,
            date: "2026-01-05".to_owned(),
            time: "09:00".to_owned(),
            duration_minutes: 50,
            link: None,
            recurrence: None,
        })
        .expect("plan");
    let note = team.signed_note(
        &team.anna,
        NoteTemplate::Free,
        Visibility::CareTeam,
        "eerste",
    );
    team.notes(&team.anna)
        .add_addendum(&note, "aanvulling", "tweede")
        .expect("addendum");
    let check_in = team.signed_note(
        &team.lotte,
        NoteTemplate::LifestyleCheckIn,
        Visibility::CareTeam,
        "derde",
    );

    let scope = team.scope(&team.anna);
    let all = timeline::for_client(&scope, &team.client_id, &[], 200).expect("timeline");
    let kinds: Vec<TimelineKind> = all.iter().map(|item| item.kind).collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert_eq!(
        *kinds.last().expect("oldest"),
        TimelineKind::Consult,
        "the January consult is oldest"
    );
    assert!(
        all.windows(2).all(|pair| pair[0].at >= pair[1].at),
        "newest first"
    );
    let check_ins = timeline::for_client(&scope, &team.client_id, &[TimelineKind::CheckIn], 200)
        .expect("check-ins");
    assert_eq!(check_ins.len(), 1);
    assert_eq!(check_ins[0].id, check_in);
    let addenda = timeline::for_client(&scope, &team.client_id, &[TimelineKind::Addendum], 200)
        .expect("addenda");
    assert_eq!(addenda.len(), 1);
    assert_eq!(addenda[0].id, note, "an addendum points at its note");
    assert_eq!(
        timeline::for_client(&scope, &team.client_id, &[], 2)
            .expect("limited")
            .len(),
        2
    );
}

#[test]
fn search_folds_diacritics_matches_prefixes_ranks_and_respects_roles() {
    let team = CareTeam::new();
    let once = team.signed_note(
        &team.anna,
        NoteTemplate::Free,
        Visibility::CareTeam,
        "Er was één moment van rust in de week.",
    );
    let thrice = team.signed_note(
        &team.anna,
        NoteTemplate::Free,
        Visibility::CareTeam,
        "Slaapproblemen: slaap slecht, slaap onrustig, slaap kort.",
    );
    let private = team.signed_note(
        &team.anna,
        NoteTemplate::Free,
        Visibility::Private,
        "Privé: slaap en één gedachte over overdracht.",
    );

    let anna = team.scope(&team.anna);
    let hits = search::search(&anna, "een").expect("search");
    let ids: Vec<&str> = hits.iter().map(|hit| hit.id.as_str()).collect();
    assert!(
        ids.contains(&once.as_str()),
        "\"een\" finds \"één\": {hits:?}"
    );
    assert!(
        ids.contains(&private.as_str()),
        "the author finds her private note"
    );

    let hits = search::search(&anna, "sla").expect("prefix");
    assert_eq!(hits[0].id, thrice, "the note that says it most ranks first");
    assert!(hits[0].snippet.to_lowercase().contains("slaap"));

    let client_hits = search::search(&anna, "verpleeg").expect("client search");
    assert_eq!(client_hits.len(), 1);
    assert_eq!(client_hits[0].kind, SearchHitKind::Client);
    assert_eq!(client_hits[0].id, team.client_id);

    let lotte_hits = search::search(&team.scope(&team.lotte), "slaap").expect("lotte");
    let lotte_ids: Vec<&str> = lotte_hits.iter().map(|hit| hit.id.as_str()).collect();
    assert!(lotte_ids.contains(&thrice.as_str()));
    assert!(
        !lotte_ids.contains(&private.as_str()),
        "a private note never shows to others"
    );
    assert!(
        search::search(&team.scope(&team.mila), "slaap")
            .expect("mila")
            .is_empty()
    );
    assert!(
        search::search(&anna, "\"NEAR( *").is_ok(),
        "operators are plain words"
    );

    // A draft is the author's until it is signed; then the care team finds it.
    let anna_notes = team.notes(&team.anna);
    let draft = anna_notes
        .create(team.new_note(NoteTemplate::Free, Visibility::CareTeam))
        .expect("draft");
    anna_notes
        .save_draft(&draft.id, filled(NoteTemplate::Free, "zeldzaamwoord"))
        .expect("save");
    let finds = |who: &Practitioner| {
        search::search(&team.scope(who), "zeldzaamwoord")
            .expect("search")
            .iter()
            .any(|hit| hit.id == draft.id)
    };
    assert!(finds(&team.anna));
    assert!(!finds(&team.lotte), "a draft stays with its author");
    anna_notes.sign(&draft.id).expect("sign");
    assert!(
        finds(&team.lotte),
        "a signed care-team note is found by the care team"
    );
}

#[test]
fn the_access_log_records_every_action_and_its_chain_catches_edits_and_removals() {
    let team = CareTeam::new();
    let note = team.signed_note(
        &team.anna,
        NoteTemplate::Soap,
        Visibility::CareTeam,
        "inhoud",
    );
    team.notes(&team.anna)
        .add_addendum(&note, "reden", "aanvulling")
        .expect("addendum");
    team.notes(&team.lotte).get(&note).expect("lotte reads");
    search::search(&team.scope(&team.anna), "inhoud").expect("search");

    let log = audit::for_client(&team.scope(&team.anna), &team.client_id).expect("log");
    let has = |action: AuditAction, part: RecordPart, who: &Practitioner| {
        log.iter().any(|event| {
            event.action == action
                && event.record_part == part
                && event.actor_id == who.id
                && event.device_id == DEVICE
        })
    };
    assert!(has(AuditAction::Create, RecordPart::Client, &team.anna));
    assert!(has(AuditAction::Create, RecordPart::Note, &team.anna));
    assert!(has(AuditAction::Update, RecordPart::Note, &team.anna));
    assert!(has(AuditAction::Sign, RecordPart::Note, &team.anna));
    assert!(has(
        AuditAction::Create,
        RecordPart::NoteAddendum,
        &team.anna
    ));
    assert!(has(AuditAction::Read, RecordPart::Note, &team.lotte));
    assert!(
        log.windows(2).all(|pair| pair[0].seq > pair[1].seq),
        "newest first"
    );
    assert!(
        log.iter()
            .all(|event| event.occurred_at.ends_with('Z') && event.occurred_at.len() == 20)
    );

    let verified = audit::verify(&team.connection, DEVICE).expect("verify");
    assert!(verified.intact, "{verified:?}");
    assert!(verified.entries >= 8);

    // Altering an entry's content breaks its hash.
    team.connection
        .execute(
            "UPDATE audit_event SET actor_name = 'Iemand anders' WHERE seq = 3",
            [],
        )
        .expect("edit");
    let verified = audit::verify(&team.connection, DEVICE).expect("verify");
    assert!(!verified.intact);
    assert_eq!(verified.broken_at_seq, Some(3));
    assert_eq!(verified.problem.as_deref(), Some("an entry was altered"));
}

/// A chain written before the hash encoding was versioned (version 1) still
/// verifies, new entries link onto it in version 2, and an entry whose
/// version is changed no longer fits.
#[test]
fn an_access_log_from_before_the_versioned_hash_still_verifies_and_grows() {
    let team = CareTeam::new();
    for _ in 0..3 {
        ClientRepository::new(team.scope(&team.anna))
            .get(&team.client_id)
            .expect("read");
    }
    // Rewrite the whole chain as the first encoding wrote it.
    let entries = audit::entries_after(&team.connection, DEVICE, 0, 1_000).expect("entries");
    assert!(entries.iter().all(|entry| entry.hash_version == 2));
    let mut previous = kluis_protocol::audit::GENESIS_HASH.to_owned();
    for mut entry in entries {
        entry.hash_version = 1;
        entry.prev_hash.clone_from(&previous);
        entry.hash = entry.expected_hash();
        team.connection
            .execute(
                "UPDATE audit_event SET prev_hash = ?2, hash = ?3, hash_version = 1 WHERE seq = ?1",
                rusqlite::params![
                    i64::try_from(entry.seq).expect("seq"),
                    entry.prev_hash,
                    entry.hash
                ],
            )
            .expect("rewrite");
        team.connection
            .execute(
                "UPDATE audit_head SET seq = ?1, hash = ?2",
                rusqlite::params![i64::try_from(entry.seq).expect("seq"), entry.hash],
            )
            .expect("head");
        previous = entry.hash;
    }
    let verified = audit::verify(&team.connection, DEVICE).expect("verify");
    assert!(verified.intact, "a version-1 chain: {verified:?}");

    ClientRepository::new(team.scope(&team.anna))
        .get(&team.client_id)
        .expect("a read after the upgrade");
    let newest = audit::entries_after(&team.connection, DEVICE, u64::from(verified.entries), 10)
        .expect("newest");
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[0].hash_version, 2);
    assert_eq!(newest[0].prev_hash, previous, "it links onto the old chain");
    assert!(
        audit::verify(&team.connection, DEVICE)
            .expect("verify")
            .intact
    );

    team.connection
        .execute("UPDATE audit_event SET hash_version = 2 WHERE seq = 2", [])
        .expect("edit");
    let verified = audit::verify(&team.connection, DEVICE).expect("verify");
    assert_eq!(verified.broken_at_seq, Some(2));
    assert_eq!(verified.problem.as_deref(), Some("an entry was altered"));
}

#[test]
fn removing_an_access_log_entry_is_detected_in_the_middle_and_at_the_end() {
    let team = CareTeam::new();
    for _ in 0..3 {
        ClientRepository::new(team.scope(&team.anna))
            .get(&team.client_id)
            .expect("read");
    }
    assert!(
        audit::verify(&team.connection, DEVICE)
            .expect("verify")
            .intact
    );

    let total: u32 = team
        .connection
        .query_row("SELECT max(seq) FROM audit_event", [], |row| row.get(0))
        .expect("count");
    team.connection
        .execute("DELETE FROM audit_event WHERE seq = ?1", [total])
        .expect("delete newest");
    let verified = audit::verify(&team.connection, DEVICE).expect("verify");
    assert!(!verified.intact);
    assert_eq!(
        verified.problem.as_deref(),
        Some("the newest entries were removed")
    );

    team.connection
        .execute("DELETE FROM audit_event WHERE seq = 2", [])
        .expect("delete middle");
    let verified = audit::verify(&team.connection, DEVICE).expect("verify");
    assert!(!verified.intact);
    assert_eq!(verified.broken_at_seq, Some(2));
    assert_eq!(verified.problem.as_deref(), Some("an entry is missing"));
}

#[test]
fn the_agenda_plans_moves_and_exports_without_names() {
    let team = CareTeam::new();
    let consults = ConsultRepository::new(team.scope(&team.anna));
    let planned = consults
        .plan(ConsultInput {
            client_ids: vec![team.client_id.clone()],
            kind: ConsultKind::Video,
            date: "2026-10-19".to_owned(),
            time: "10:00".to_owned(),
            duration_minutes: 50,
            link: Some("https://video.example.nl/kamer/42".to_owned()),
            recurrence: Some(kluis_core::record::consults::Recurrence {
                frequency: kluis_core::record::consults::RecurrenceFrequency::Weekly,
                count: 3,
            }),
        })
        .expect("plan series");
    assert_eq!(planned.len(), 3);
    assert!(
        planned
            .iter()
            .all(|consult| consult.start_time == "10:00" && consult.end_time == "10:50")
    );
    assert_eq!(
        planned[1].starts_at, "2026-10-26T09:00:00Z",
        "after the clock change"
    );
    let series = planned[0].series_id.clone().expect("series");
    assert!(
        planned
            .iter()
            .all(|consult| consult.series_id.as_deref() == Some(&series))
    );

    let week = consults.week("2026-10-21").expect("week");
    assert_eq!(week.iso_week, 43);
    assert_eq!(week.days[0].date, "2026-10-19", "Monday first");
    assert_eq!(week.days[0].consults.len(), 1);
    assert_eq!(week.days.len(), 7);

    let moved = consults
        .reschedule(&planned[1].id, "2026-10-27", "14:30", 45)
        .expect("move");
    assert_eq!(
        (
            moved.date.as_str(),
            moved.start_time.as_str(),
            moved.end_time.as_str()
        ),
        ("2026-10-27", "14:30", "15:15")
    );
    let done = consults
        .set_status(&planned[0].id, ConsultStatus::Completed)
        .expect("complete");
    assert_eq!(done.status, ConsultStatus::Completed);
    assert!(
        consults
            .reschedule(&planned[0].id, "2026-10-20", "10:00", 50)
            .is_err(),
        "a held consult is not moved"
    );
    consults
        .set_status(&planned[2].id, ConsultStatus::Cancelled)
        .expect("cancel");
    assert_eq!(consults.day("2026-10-27").expect("day").consults.len(), 1);

    let ical = consults.export_ical("2026-10-19", 21).expect("export");
    assert_eq!(ical.matches("BEGIN:VEVENT").count(), 3);
    assert!(ical.contains(&planned[0].clients[0].client_code));
    assert!(ical.contains("STATUS:CANCELLED"));
    for secret in [
        "Sanne",
        "Jansen",
        "verpleegkundige",
        "video.example.nl",
        "example.nl",
    ] {
        assert!(
            !ical.contains(secret),
            "the export must not carry {secret:?}:\n{ical}"
        );
    }
    let log = audit::for_client(&team.scope(&team.anna), &team.client_id).expect("log");
    assert!(log.iter().any(|event| event.action == AuditAction::Export));
}

#[test]
fn the_demo_profile_shows_a_working_day() {
    let profile = crate::support::TestProfile::new();
    let kluis = profile.kluis();
    assert!(kluis_core::demo::seed_demo_profile(&kluis).expect("seed"));
    profile.remember_vault_id();
    assert!(!kluis.status().unlocked, "the demo profile is left locked");
    assert!(
        !kluis_core::demo::seed_demo_profile(&kluis).expect("seed again"),
        "a seeded profile is not seeded twice"
    );

    kluis
        .unlock(&crate::support::passphrase(
            kluis_core::demo::DEMO_PASSPHRASE,
        ))
        .expect("unlock");
    let today = kluis_core::record::consults::today_in_amsterdam().to_string();
    assert_eq!(kluis.agenda_day(&today).expect("today").consults.len(), 4);
    let daan = kluis
        .list_clients()
        .expect("clients")
        .into_iter()
        .find(|client| client.first_name == "Daan")
        .expect("Daan");
    let timeline = kluis.client_timeline(&daan.id, &[], 200).expect("timeline");
    let kinds: Vec<TimelineKind> = timeline.iter().map(|item| item.kind).collect();
    assert!(kinds.contains(&TimelineKind::Note));
    assert!(kinds.contains(&TimelineKind::Addendum));
    assert!(!kluis.search("slaapdagboek").expect("search").is_empty());
    assert!(kluis.verify_access_log().expect("verify").intact);
    kluis.lock();
}

#[test]
fn every_change_is_queued_for_the_store_and_a_refused_one_is_not() {
    let team = CareTeam::new();
    let queued = || -> Vec<(String, String, String)> {
        team.connection
            .prepare("SELECT kind, record_id, action FROM outbox ORDER BY seq")
            .expect("prepare")
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let entry =
        |kind: &str, id: &str, action: &str| (kind.to_owned(), id.to_owned(), action.to_owned());
    assert_eq!(queued(), [entry("client", &team.client_id, "upsert")]);

    let notes = team.notes(&team.anna);
    let note = notes
        .create(team.new_note(NoteTemplate::Free, Visibility::CareTeam))
        .expect("create");
    notes
        .save_draft(&note.id, filled(NoteTemplate::Free, "eerste versie"))
        .expect("save");
    notes.sign(&note.id).expect("sign");
    let amended = notes
        .add_addendum(&note.id, "reden", "aanvulling")
        .expect("addendum");
    let draft = notes
        .create(team.new_note(NoteTemplate::Free, Visibility::Private))
        .expect("draft");
    notes.discard_draft(&draft.id).expect("discard");
    let consults = ConsultRepository::new(team.scope(&team.anna))
        .plan(ConsultInput {
            client_ids: vec![team.client_id.clone()],
            kind: ConsultKind::Phone,
            date: "2026-12-07".to_owned(),
            time: "10:00".to_owned(),
            duration_minutes: 30,
            link: None,
            recurrence: Some(kluis_core::record::consults::Recurrence {
                frequency: kluis_core::record::consults::RecurrenceFrequency::Weekly,
                count: 2,
            }),
        })
        .expect("plan");
    ConsultRepository::new(team.scope(&team.anna))
        .set_status(&consults[0].id, ConsultStatus::Cancelled)
        .expect("cancel");

    let before_refusal = queued().len();
    assert!(
        team.notes(&team.lotte)
            .save_draft(&draft.id, filled(NoteTemplate::Free, "x"))
            .is_err()
    );
    assert!(
        ClientRepository::new(team.scope(&team.lotte))
            .update(&team.client_id, sample_client("Anders"))
            .is_err()
    );
    assert_eq!(
        queued().len(),
        before_refusal,
        "a refused change queues nothing"
    );

    assert_eq!(
        queued()[1..],
        [
            entry("note", &note.id, "upsert"),
            entry("note", &note.id, "upsert"),
            entry("note", &note.id, "upsert"),
            entry("addendum", &amended.addenda[0].id, "upsert"),
            entry("note", &draft.id, "upsert"),
            entry("note", &draft.id, "delete"),
            entry("consult", &consults[0].id, "upsert"),
            entry("consult", &consults[1].id, "upsert"),
            entry("consult", &consults[0].id, "upsert"),
        ]
    );
    let op_ids: std::collections::HashSet<String> = team
        .connection
        .prepare("SELECT op_id FROM outbox")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(
        op_ids.len(),
        queued().len(),
        "every entry has its own operation id"
    );
}

#[test]
fn only_a_psychologist_on_the_care_team_erases_a_client_and_refusals_are_logged() {
    use kluis_core::record::erasure::{ErasureReason, erase_client};
    let team = CareTeam::new();
    let refused = erase_client(
        &team.scope(&team.lotte),
        &team.client_id,
        ErasureReason::ClientRequest,
    )
    .expect_err("lotte");
    assert!(
        matches!(refused, CoreError::PermissionDenied(_)),
        "{refused:?}"
    );
    let hidden = erase_client(
        &team.scope(&team.bram),
        &team.client_id,
        ErasureReason::ClientRequest,
    )
    .expect_err("bram");
    assert!(matches!(hidden, CoreError::NotFound(_)), "{hidden:?}");
    assert!(
        ClientRepository::new(team.scope(&team.anna))
            .get(&team.client_id)
            .is_ok(),
        "nothing was erased"
    );
    let denied: u32 = team
        .connection
        .query_row(
            "SELECT count(*) FROM audit_event WHERE action = 'delete' AND outcome = 'denied'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(denied, 2, "both attempts are in the access log");
    // Retention is the store's reason alone: a device cannot claim it.
    assert!(matches!(
        erase_client(
            &team.scope(&team.anna),
            &team.client_id,
            ErasureReason::Retention
        ),
        Err(CoreError::Validation {
            field: "reason",
            ..
        })
    ));
    erase_client(
        &team.scope(&team.anna),
        &team.client_id,
        ErasureReason::ClientRequest,
    )
    .expect("anna erases");
    assert!(matches!(
        ClientRepository::new(team.scope(&team.anna)).get(&team.client_id),
        Err(CoreError::NotFound("client"))
    ));
    assert!(
        audit::verify(&team.connection, DEVICE)
            .expect("verify")
            .intact
    );
}
