//! Erasing a client from a real vault (SPEC §6): every row of the client's
//! record goes, signed notes and addenda included; search finds nothing;
//! every page of the database, free pages included, read decrypted through
//! `sqlite_dbpage`, holds no copy of a sentinel written before; the WAL is
//! emptied; another client stays whole; the access log stays intact and says
//! who erased; a pull does not take the client in again. (Who may erase is
//! in `record.rs`, with the care team.)

use kluis_core::record::clients::ClientInput;
use kluis_core::record::consults::{ConsultInput, ConsultKind};
use kluis_core::record::notes::Visibility;
use kluis_core::record::practitioner::Role;
use kluis_core::{CoreError, Profile};
use kluis_testkit::fixtures::sample_client;
use rusqlite::Connection;

use crate::support::{PASSPHRASE, TestProfile, free_note, passphrase};

/// A client whose record holds `sentinel` everywhere it can: the client's
/// remarks, a signed note, its addendum, a draft, a consult of their own.
fn a_full_record(kluis: &Profile, sentinel: &str) -> String {
    let client = kluis
        .create_client(ClientInput {
            remarks: format!("Intake: {sentinel} remarks"),
            ..sample_client(&format!("Sentinel{sentinel}"))
        })
        .expect("client");
    let signed = free_note(
        kluis,
        &client.id,
        Visibility::CareTeam,
        &format!("gesprek {sentinel} signed"),
    );
    kluis.sign_note(&signed).expect("sign");
    kluis
        .add_addendum(&signed, "aanvulling", &format!("{sentinel} addendum"))
        .expect("addendum");
    free_note(
        kluis,
        &client.id,
        Visibility::Private,
        &format!("concept {sentinel} draft"),
    );
    kluis
        .plan_consult(ConsultInput {
            client_ids: vec![client.id.clone()],
            kind: ConsultKind::Video,
            date: "2026-12-14".to_owned(),
            time: "10:00".to_owned(),
            duration_minutes: 50,
            link: Some(format!("https://meet.example.nl/{sentinel}")),
            recurrence: None,
        })
        .expect("consult");
    client.id
}

/// Every page of the vault's database as SQLite reads it (decrypted), free
/// pages included, through a second connection unlocked with the passphrase.
fn every_page(test: &TestProfile) -> Vec<u8> {
    let open = test
        .vault()
        .unlock(&passphrase(PASSPHRASE))
        .expect("second unlock");
    let connection: &Connection = open.connection().expect("connection");
    let mut statement = connection
        .prepare("SELECT data FROM sqlite_dbpage('main') ORDER BY pgno")
        .expect("sqlite_dbpage is built in");
    let pages = statement
        .query_map([], |row| row.get::<_, Vec<u8>>(0))
        .expect("pages");
    pages.flat_map(|page| page.expect("page")).collect()
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn an_erased_client_leaves_no_row_no_posting_and_no_byte_on_any_page() {
    let test = TestProfile::new();
    let kluis = test.create(Role::Psychologist);
    let sentinel = format!("zq{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let kept = kluis
        .create_client(sample_client("Bewaard"))
        .expect("kept client");
    let erased = a_full_record(&kluis, &sentinel);
    assert!(!kluis.search(&sentinel).expect("search").is_empty());
    kluis.lock();
    kluis.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    assert!(
        holds(&every_page(&test), &sentinel),
        "the scan finds the sentinel while the client is there"
    );

    let summary = kluis
        .erase_client(
            &erased,
            kluis_core::record::erasure::ErasureReason::ClientRequest,
        )
        .expect("erased");
    assert_eq!(
        (summary.notes, summary.addenda, summary.consults),
        (2, 1, 1)
    );

    assert!(matches!(
        kluis.get_client(&erased),
        Err(CoreError::NotFound(_))
    ));
    assert!(kluis.search(&sentinel).expect("search").is_empty());
    assert!(kluis.search("Sentinel").expect("search").is_empty());
    assert_eq!(kluis.list_clients().expect("list").len(), 1);
    assert_eq!(kluis.get_client(&kept.id).expect("kept").id, kept.id);
    let pages = every_page(&test);
    assert!(!holds(&pages, &sentinel), "a page still holds the sentinel");

    // The store (or another device) sends the client again: not taken in.
    let again = kluis_protocol::PullResponse {
        protocol_version: kluis_protocol::PROTOCOL_VERSION,
        changes: vec![kluis_protocol::Change {
            seq: 1,
            version: 1,
            payload: kluis_protocol::ChangePayload::Record {
                record: Box::new(kluis_protocol::Record::Client(
                    kluis_protocol::ClientRecord {
                        id: erased.clone(),
                        client_code: "C-ERASED".to_owned(),
                        first_name: format!("Sentinel{sentinel}"),
                        last_name: None,
                        email: "weer@example.nl".to_owned(),
                        birth_year: 1990,
                        phone: "06 0000 0000".to_owned(),
                        employer: None,
                        care_start: "2026-01-01".to_owned(),
                        care_end: None,
                        remarks: String::new(),
                        health_data_consent_date: "2026-01-01".to_owned(),
                        employer_reporting_opt_in: false,
                        employer_reporting_date: None,
                        restricted: false,
                        health_data_consent_withdrawn: None,
                        privacy_log: Vec::new(),
                    },
                )),
            },
        }],
        cursor: 1,
        more: false,
        remaining: 0,
    };
    kluis.sync_apply_pull(&again).expect("applied");
    assert!(matches!(
        kluis.get_client(&erased),
        Err(CoreError::NotFound(_))
    ));

    let verification = kluis.verify_access_log().expect("verify");
    assert!(verification.intact, "{verification:?}");
    let log = kluis.client_access_log(&erased);
    // The client is gone, so its log is out of reach through the record; the
    // entries themselves stay in the chain.
    assert!(matches!(log, Err(CoreError::NotFound("client"))), "{log:?}");
    assert!(verification.entries > 5);
}
