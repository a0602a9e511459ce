//! Proof that locking leaves no readable copy of client data in this process.
//!
//! Each test unlocks a vault and sends client data down the paths the app
//! uses, each path with its own random sentinel well inside the text:
//!
//! - `client`: a client's remarks, written, read back, listed, found by
//!   search and pushed;
//! - `note`: a session note's draft (two autosaves), signed, opened, shown in
//!   the client's timeline, found by search and pushed;
//! - `addendum`: a correction of that signed note, shown in the timeline and
//!   pushed;
//! - `pulled`: a signed note the same practitioner wrote on another device,
//!   arriving in a pull page (parsed from JSON, as the sync client does), then
//!   opened, shown in the timeline and found by search.
//!
//! Every search has its sentinel among the query's words. The push and pull
//! of a sync round run as `kluis-sync` drives them: the pending operations
//! are serialised as a push body and acknowledged, and the pull page also
//! echoes this device's own records, as the store's feed does. Then the vault
//! locks and, with the `Kluis` facade still alive (the desktop app keeps it
//! for the whole process), the whole process memory is scanned
//! (`/proc/self/mem`, skipping untouched pages via `/proc/self/pagemap`) for
//! each sentinel as UTF-8 and UTF-16. The sentinels are lower-case letters and
//! digits, so the search index's tokens and the lower-cased search terms are
//! byte for byte the sentinel and are scanned for too. The scanner holds the
//! sentinels only XOR-masked; the test drops its plain copies before the lock.
//! The control test switches the scrubbing off and must find copies of every
//! sentinel: it shows the scan can fail on each path. nextest runs every test
//! in its own process, so the global settings of one test do not leak into
//! the other.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use kluis_core::Profile;
use kluis_core::record::clients::ClientInput;
use kluis_core::record::notes::{NewNote, NoteSection, NoteStatus, NoteTemplate, Visibility};
use kluis_core::record::practitioner::Role;
use kluis_core::record::search::SearchHitKind;
use kluis_core::record::timeline::{TimelineItem, TimelineKind};
use kluis_core::vault::VaultConfig;
use kluis_core::vault::kdf::KdfPolicy;
use kluis_core::vault::secret::Passphrase;
use kluis_core::vault::throttle::ThrottlePolicy;
use kluis_memory::scan::{MaskedPattern, scan_process};
use kluis_memory::scrub::{ScrubbingAllocator, harden_process, set_heap_scrubbing};
use kluis_protocol::records::{
    NoteRecord, NoteSection as WireSection, NoteStatus as WireStatus, NoteTemplate as WireTemplate,
    Role as WireRole, Visibility as WireVisibility,
};
use kluis_protocol::{
    Action, Change, ChangePayload, OperationResult, Outcome, PROTOCOL_VERSION, PullResponse,
    PushRequest, PushResponse, Record,
};
use kluis_testkit::fixtures::sample_client;
use kluis_testkit::secrets::InMemorySecrets;

#[global_allocator]
static ALLOCATOR: ScrubbingAllocator = ScrubbingAllocator;

const PASSPHRASE: &str = "paarse olifanten dansen traag 4821";
const PRACTITIONER: &str = "Test Practitioner";

/// One path of client data through the core, and the sentinel sent down it,
/// held masked only.
struct Sentinel {
    path: &'static str,
    pattern: MaskedPattern,
    /// The pattern's masked bytes and mask, for [`Sentinel::count_in`].
    masked: Vec<u8>,
    mask: Vec<u8>,
}

impl Sentinel {
    /// A fresh `<path>sentinel<32 hex digits>` and its plain text, which the
    /// caller must drop before the lock. Letters and digits only: one word
    /// to the search's tokeniser, and already lower case, so the index's
    /// token is the sentinel itself.
    fn new(path: &'static str) -> (Self, String) {
        let plain = format!("{path}sentinel{}", hex::encode(rand::random::<[u8; 16]>()));
        let pattern = MaskedPattern::from_plain_wiping(&mut plain.clone().into_bytes());
        let (masked, mask) = pattern.masked_parts_hex();
        let sentinel = Self {
            path,
            pattern,
            masked: hex::decode(masked).unwrap(),
            mask: hex::decode(mask).unwrap(),
        };
        (sentinel, plain)
    }

    /// How often the sentinel occurs in what the test got back, compared
    /// byte by byte. Not `MaskedPattern::count_in`: that runs `memchr`, which
    /// in this unoptimised build keeps 128-byte pieces of the text it searches
    /// in its stack frame, so checking a text would leave a copy of the
    /// sentinel in this thread's stack (seen: a timeline summary and a search
    /// snippet) that no allocator wipes and the scan rightly finds.
    fn count_in(&self, text: &[u8]) -> usize {
        text.windows(self.masked.len())
            .filter(|window| {
                window
                    .iter()
                    .zip(self.masked.iter().zip(&self.mask))
                    .all(|(byte, (masked, key))| byte ^ key == *masked)
            })
            .count()
    }
}

/// A text with the sentinel well inside it: glibc reuses the first 16 bytes
/// of a freed chunk for its free lists, so a leftover copy there could hide.
fn around(plain: &str) -> String {
    format!("Vertrouwelijk, uit de sessie van vandaag: {plain} — verder niets bijzonders.")
}

/// A search for the sentinel together with words before it, so the query
/// too holds it well inside.
fn query_for(plain: &str) -> String {
    format!("vertrouwelijk sessie {plain}")
}

fn client_input(remarks: String) -> ClientInput {
    ClientInput {
        remarks,
        ..sample_client("Sanne")
    }
}

fn soap(subjective: String) -> Vec<NoteSection> {
    [
        ("subjective", subjective),
        ("objective", "Rustig, goed verzorgd, oogcontact.".to_owned()),
        ("assessment", "Slaapproblemen nemen langzaam af.".to_owned()),
        ("plan", "Over twee weken opnieuw, slaapdagboek.".to_owned()),
    ]
    .into_iter()
    .map(|(key, text)| NoteSection {
        key: key.to_owned(),
        text,
    })
    .collect()
}

/// Searches as the app does and checks that exactly the expected record is
/// found, with the sentinel in the snippet shown.
fn assert_search_finds(
    kluis: &Profile,
    plain: &str,
    sentinel: &Sentinel,
    kind: SearchHitKind,
    id: &str,
) {
    let hits = kluis.search(&query_for(plain)).unwrap();
    assert_eq!(hits.len(), 1, "{}: one search hit", sentinel.path);
    assert_eq!((hits[0].kind, hits[0].id.as_str()), (kind, id));
    assert_eq!(
        sentinel.count_in(hits[0].snippet.as_bytes()),
        1,
        "{}: the snippet shows the sentinel",
        sentinel.path
    );
}

fn timeline_summary<'a>(items: &'a [TimelineItem], kind: TimelineKind, id: &str) -> &'a str {
    &items
        .iter()
        .find(|item| item.kind == kind && item.id == id)
        .unwrap()
        .summary
}

/// Everything done while unlocked. Returns only the masked sentinels: every
/// plain copy this function made (texts, records, bodies, hits) is dropped
/// when it returns, before the caller locks.
fn work_with_client_data(kluis: &Profile) -> Vec<Sentinel> {
    let (client, client_plain) = Sentinel::new("client");
    let (note, note_plain) = Sentinel::new("note");
    let (addendum, addendum_plain) = Sentinel::new("addendum");
    let (pulled, pulled_plain) = Sentinel::new("pulled");

    // A client: written, read back, listed, found.
    let client_id = kluis
        .create_client(client_input(around(&client_plain)))
        .unwrap()
        .id;
    let read_back = kluis.get_client(&client_id).unwrap();
    assert_eq!(client.count_in(read_back.input.remarks.as_bytes()), 1);
    assert_eq!(kluis.list_clients().unwrap().len(), 1);
    assert_search_finds(
        kluis,
        &client_plain,
        &client,
        SearchHitKind::Client,
        &client_id,
    );

    // A session note: two autosaves of the draft, signed, opened.
    let note_id = kluis
        .create_note(NewNote {
            client_id: client_id.clone(),
            consult_id: None,
            template: NoteTemplate::Soap,
            visibility: Visibility::CareTeam,
        })
        .unwrap()
        .id;
    kluis
        .save_draft(
            &note_id,
            soap("Vertrouwelijk, uit de sessie van vandaag:".to_owned()),
        )
        .unwrap();
    kluis
        .save_draft(&note_id, soap(around(&note_plain)))
        .unwrap();
    let signed = kluis.sign_note(&note_id).unwrap();
    assert_eq!(signed.status, NoteStatus::Signed);
    let opened = kluis.get_note(&note_id).unwrap();
    assert_eq!(note.count_in(opened.sections[0].text.as_bytes()), 1);
    assert_search_finds(kluis, &note_plain, &note, SearchHitKind::Note, &note_id);

    // An addendum to the signed note.
    let amended = kluis
        .add_addendum(&note_id, "Aanvulling na overleg", &around(&addendum_plain))
        .unwrap();
    assert_eq!(addendum.count_in(amended.addenda[0].text.as_bytes()), 1);

    // The client's timeline shows both.
    let items = kluis.client_timeline(&client_id, &[], 50).unwrap();
    assert_eq!(
        note.count_in(timeline_summary(&items, TimelineKind::Note, &note_id).as_bytes()),
        1
    );
    assert_eq!(
        addendum.count_in(timeline_summary(&items, TimelineKind::Addendum, &note_id).as_bytes()),
        1
    );

    // A sync round. Push: the client, the note and the addendum, as the
    // request body the sync client sends.
    let batch = kluis.sync_next_batch(500).unwrap();
    assert_eq!(batch.len(), 3, "client, note and addendum are pending");
    let push_body = serde_json::to_vec(&PushRequest {
        protocol_version: PROTOCOL_VERSION,
        operations: batch
            .iter()
            .map(|pending| pending.operation.clone())
            .collect(),
    })
    .unwrap();
    for sentinel in [&client, &note, &addendum] {
        assert_eq!(
            sentinel.count_in(&push_body),
            1,
            "{}: pushed",
            sentinel.path
        );
    }
    let summary = kluis
        .sync_acknowledge(
            &batch,
            &PushResponse {
                protocol_version: PROTOCOL_VERSION,
                results: batch
                    .iter()
                    .map(|pending| OperationResult {
                        op_id: pending.operation.op_id,
                        outcome: Outcome::Applied { version: 1 },
                    })
                    .collect(),
            },
        )
        .unwrap();
    assert_eq!(summary.applied, 3);

    // Pull: the store's feed echoes this device's records and brings a note
    // the same practitioner signed on another device, parsed from the
    // response body as the sync client does.
    let practitioner_id = kluis.practitioner_id().unwrap();
    let pulled_id = uuid::Uuid::new_v4().to_string();
    let mut other_device = NoteRecord {
        id: pulled_id.clone(),
        client_id: client_id.clone(),
        consult_id: None,
        author_id: practitioner_id,
        author_name: PRACTITIONER.to_owned(),
        author_role: WireRole::Psychologist,
        template: WireTemplate::Dap,
        visibility: WireVisibility::CareTeam,
        status: WireStatus::Signed,
        sections: [
            ("data", around(&pulled_plain)),
            ("assessment", "Stemming stabiel.".to_owned()),
            ("plan", "Volgende week telefonisch.".to_owned()),
        ]
        .into_iter()
        .map(|(key, text)| WireSection {
            key: key.to_owned(),
            text,
        })
        .collect(),
        created_at: "2026-01-12T10:00:00Z".to_owned(),
        signed_at: Some("2026-01-12T10:45:00Z".to_owned()),
        signed_by: Some(PRACTITIONER.to_owned()),
        content_hash: None,
    };
    other_device.content_hash = Some(other_device.signed_content().hash());
    let changes: Vec<Change> = batch
        .iter()
        .filter_map(|pending| match &pending.operation.action {
            Action::Upsert { record, .. } => Some(record.clone()),
            Action::Delete { .. } | Action::EraseClient { .. } => None,
        })
        .chain([Box::new(Record::Note(other_device))])
        .zip(1..)
        .map(|(record, seq)| Change {
            seq,
            version: 1,
            payload: ChangePayload::Record { record },
        })
        .collect();
    let cursor = changes.last().unwrap().seq;
    let pull_body = serde_json::to_vec(&PullResponse {
        protocol_version: PROTOCOL_VERSION,
        changes,
        cursor,
        more: false,
        remaining: 0,
    })
    .unwrap();
    let page: PullResponse = serde_json::from_slice(&pull_body).unwrap();
    assert_eq!(
        kluis.sync_apply_pull(&page).unwrap(),
        1,
        "only the other device's note is new here"
    );
    assert_eq!(kluis.sync_cursor().unwrap(), cursor);
    assert_eq!(kluis.sync_pending_count().unwrap(), 0);

    // The pulled note: opened, found, in the timeline.
    let opened = kluis.get_note(&pulled_id).unwrap();
    assert_eq!(pulled.count_in(opened.sections[0].text.as_bytes()), 1);
    assert_search_finds(
        kluis,
        &pulled_plain,
        &pulled,
        SearchHitKind::Note,
        &pulled_id,
    );
    let items = kluis.client_timeline(&client_id, &[], 50).unwrap();
    assert_eq!(
        pulled.count_in(timeline_summary(&items, TimelineKind::Note, &pulled_id).as_bytes()),
        1
    );

    vec![client, note, addendum, pulled]
}

/// Unlocks a fresh vault, works with client data, locks, and returns the
/// facade, still alive and locked, with the masked sentinels.
fn unlock_work_and_lock(directory: &std::path::Path) -> (Profile, Vec<Sentinel>) {
    let config = VaultConfig {
        kdf: KdfPolicy::owasp_floor(),
        throttle: ThrottlePolicy::default(),
    };
    let kluis = Profile::open_profile(directory, config, Arc::new(InMemorySecrets::default()));
    kluis
        .create_vault(
            &Passphrase::from(PASSPHRASE),
            PRACTITIONER,
            Role::Psychologist,
        )
        .unwrap();
    kluis.lock();
    kluis.unlock(&Passphrase::from(PASSPHRASE)).unwrap();

    let sentinels = work_with_client_data(&kluis);

    let outcome = kluis.lock();
    assert!(outcome.was_unlocked);
    assert!(!kluis.status().unlocked);
    (kluis, sentinels)
}

/// Scans the process for each sentinel (UTF-8 and UTF-16) and returns the
/// hits per sentinel, in order.
fn scan_for(sentinels: &[Sentinel]) -> Vec<(usize, usize)> {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("?");
    // The maps file does not name other threads' stacks: a local's address
    // tells which region is this thread's.
    let local = 0u8;
    let stack = std::hint::black_box(&local) as *const u8 as u64;
    sentinels
        .iter()
        .map(|sentinel| {
            let utf16 = sentinel.pattern.to_utf16le();
            let report = scan_process(None, &[&sentinel.pattern, &utf16]).unwrap();
            assert!(
                report.bytes_scanned > 1_000_000,
                "the scan must actually read memory: {report:?}"
            );
            let in_this_stack: usize = report
                .regions_with_hits
                .iter()
                .filter(|region| (region.start..region.end).contains(&stack))
                .map(|region| region.hits)
                .sum();
            eprintln!(
                "{test}: {}: scanned {} regions, {} MiB; utf8 hits {}, utf16 hits {} \
                 ({in_this_stack} in this thread's stack); regions {:?}",
                sentinel.path,
                report.regions_scanned,
                report.bytes_scanned / (1024 * 1024),
                report.hits[0],
                report.hits[1],
                report.regions_with_hits
            );
            (report.hits[0], report.hits[1])
        })
        .collect()
}

fn paths(sentinels: &[Sentinel]) -> Vec<&'static str> {
    sentinels.iter().map(|sentinel| sentinel.path).collect()
}

#[test]
fn no_copy_of_client_data_survives_a_lock() {
    let hardening = harden_process();
    assert!(
        hardening.malloc_perturb,
        "glibc M_PERTURB must be available here"
    );
    let directory = tempfile::tempdir().unwrap();
    let (kluis, sentinels) = unlock_work_and_lock(directory.path());
    let hits = scan_for(&sentinels);
    assert_eq!(
        hits,
        vec![(0, 0); sentinels.len()],
        "decrypted client data survived the lock (utf8, utf16 hits per path {:?})",
        paths(&sentinels)
    );
    // The facade was alive, and locked, through the whole scan.
    assert!(!kluis.status().unlocked);
    drop(kluis);
}

#[test]
fn control_without_scrubbing_the_scan_finds_leftovers() {
    set_heap_scrubbing(false);
    let directory = tempfile::tempdir().unwrap();
    let (kluis, sentinels) = unlock_work_and_lock(directory.path());
    let hits = scan_for(&sentinels);
    assert!(
        hits.iter().all(|(utf8_hits, _)| *utf8_hits > 0),
        "without scrubbing the scan must find freed copies of every sentinel, or it proves \
         nothing (utf8, utf16 hits per path {:?}: {hits:?})",
        paths(&sentinels)
    );
    assert!(!kluis.status().unlocked);
    drop(kluis);
}
