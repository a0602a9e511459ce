//! Client records through the facade: round trip, validation, roles,
//! restriction, the locked state and client codes.

use std::collections::HashSet;
use std::fmt::Debug;

use kluis_core::record::clients::{ClientInput, ClientSummary, Consents};
use kluis_core::record::practitioner::Role;
use kluis_core::{CoreError, CoreResult, ErrorCode, Profile, SessionInfo};

use crate::support::{
    NEW_PASSPHRASE, PASSPHRASE, PRACTITIONER, TestProfile, passphrase, sample_client,
};

/// `^C-[2-9A-HJKMNP-TV-Z]{5}$`
fn is_client_code(code: &str) -> bool {
    let allowed = |c: char| matches!(c, '2'..='9' | 'A'..='H' | 'J' | 'K' | 'M' | 'N' | 'P'..='T' | 'V'..='Z');
    code.len() == 7 && code.starts_with("C-") && code.chars().skip(2).all(allowed)
}

fn full_client() -> ClientInput {
    ClientInput {
        first_name: "Sanne".to_owned(),
        last_name: Some("de Boer".to_owned()),
        email: "sanne.deboer@example.nl".to_owned(),
        birth_year: 1990,
        phone: "+31 (0)6-1234 5678".to_owned(),
        employer: Some("Rabobank".to_owned()),
        care_start: "2024-02-01".to_owned(),
        care_end: Some("2024-12-31".to_owned()),
        remarks: "Vervolg na zes sessies — “gaat goed” 😊\nTweede regel.".to_owned(),
        consents: Consents {
            health_data_consent_date: "2024-01-30".to_owned(),
            employer_reporting_opt_in: true,
            employer_reporting_date: Some("2024-02-01".to_owned()),
            health_data_consent_withdrawn: None,
        },
        restricted: false,
    }
}

#[test]
fn client_round_trip_with_all_fields() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let input = full_client();

    let created = kluis.create_client(input.clone()).expect("create");
    assert_eq!(created.input, input);
    assert!(uuid::Uuid::parse_str(&created.id).is_ok(), "{}", created.id);
    assert!(
        is_client_code(&created.client_code),
        "{}",
        created.client_code
    );
    assert_eq!(created.version, 1);
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(kluis.get_client(&created.id).expect("get"), created);
    assert_eq!(
        kluis.list_clients().expect("list"),
        vec![ClientSummary {
            id: created.id.clone(),
            client_code: created.client_code.clone(),
            first_name: "Sanne".to_owned(),
            last_name: Some("de Boer".to_owned()),
            care_start: "2024-02-01".to_owned(),
            care_end: Some("2024-12-31".to_owned()),
            restricted: false,
        }]
    );

    // Withdraw the employer opt-in, reopen care, change contact details.
    let mut changed = input.clone();
    changed.email = "s.deboer@example.org".to_owned();
    changed.phone = "030 123 4567".to_owned();
    changed.employer = None;
    changed.care_end = None;
    changed.remarks = "Nieuwe afspraak.".to_owned();
    changed.consents.employer_reporting_opt_in = false;
    changed.consents.employer_reporting_date = None;
    let updated = kluis
        .update_client(&created.id, changed.clone())
        .expect("update");
    assert_eq!(updated.input, changed);
    assert_eq!(updated.id, created.id);
    assert_eq!(
        updated.client_code, created.client_code,
        "the code never changes"
    );
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(updated.version, 2);

    kluis.lock();
    kluis.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    assert_eq!(
        kluis.get_client(&created.id).expect("get after reopening"),
        updated
    );

    let missing = kluis.get_client("00000000-0000-4000-8000-000000000000");
    assert!(
        matches!(missing, Err(CoreError::NotFound(_))),
        "{missing:?}"
    );
    let missing = kluis.update_client("00000000-0000-4000-8000-000000000000", changed);
    assert!(
        matches!(missing, Err(CoreError::NotFound(_))),
        "{missing:?}"
    );
}

#[test]
fn input_is_trimmed_and_list_is_sorted_by_name() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let mut messy = sample_client("  Sanne  ");
    messy.last_name = Some("  Visser ".to_owned());
    messy.email = " s.visser@example.nl ".to_owned();
    messy.employer = Some("   ".to_owned());
    messy.care_end = Some(" ".to_owned());
    let created = kluis.create_client(messy).expect("create");
    assert_eq!(created.input.first_name, "Sanne");
    assert_eq!(created.input.last_name.as_deref(), Some("Visser"));
    assert_eq!(created.input.email, "s.visser@example.nl");
    assert_eq!(created.input.employer, None);
    assert_eq!(created.input.care_end, None);

    for last_name in ["bakker", "Aalders"] {
        let mut client = sample_client("Piet");
        client.last_name = Some(last_name.to_owned());
        kluis.create_client(client).expect("create");
    }
    let names: Vec<Option<String>> = kluis
        .list_clients()
        .expect("list")
        .into_iter()
        .map(|c| c.last_name)
        .collect();
    let expected = ["Aalders", "bakker", "Visser"].map(|name| Some(name.to_owned()));
    assert_eq!(names, expected);
}

#[test]
fn validation_errors_name_the_field() {
    type Edit = fn(&mut ClientInput);
    let cases: [(&str, Edit); 14] = [
        ("firstName", |c| c.first_name = String::new()),
        ("firstName", |c| c.first_name = "   ".to_owned()),
        ("email", |c| c.email = "s.jansen@".to_owned()),
        ("email", |c| c.email = "s.jansen.example.nl".to_owned()),
        ("email", |c| c.email = "s jansen@example.nl".to_owned()),
        ("birthYear", |c| c.birth_year = 1899),
        ("phone", |c| c.phone = "12".to_owned()),
        ("careStart", |c| c.care_start = "15-01-2024".to_owned()),
        ("careEnd", |c| c.care_end = Some("2024-01-14".to_owned())),
        ("healthDataConsentDate", |c| {
            c.consents.health_data_consent_date = "2999-01-01".to_owned()
        }),
        ("employerReportingDate", |c| {
            c.consents.employer_reporting_opt_in = true
        }),
        ("employerReportingDate", |c| {
            c.consents.employer_reporting_opt_in = true;
            c.consents.employer_reporting_date = Some("  ".to_owned());
        }),
        ("employerReportingDate", |c| {
            c.consents.employer_reporting_opt_in = true;
            c.consents.employer_reporting_date = Some("gisteren".to_owned());
        }),
        ("remarks", |c| c.remarks = "x".repeat(20_001)),
    ];
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let existing = kluis.create_client(sample_client("Sanne")).expect("create");

    for (field, edit) in cases {
        let mut input = sample_client("Piet");
        edit(&mut input);
        let error = kluis.create_client(input.clone()).expect_err(field);
        assert_eq!(error.code(), ErrorCode::Validation, "{field}: {error:?}");
        assert_eq!(error.field(), Some(field), "{error:?}");
        let error = kluis.update_client(&existing.id, input).expect_err(field);
        assert_eq!(error.field(), Some(field), "update: {error:?}");
    }
    assert_eq!(
        kluis.list_clients().expect("list").len(),
        1,
        "nothing invalid was stored"
    );
    assert_eq!(
        kluis.get_client(&existing.id).expect("get"),
        existing,
        "nothing invalid was saved"
    );
}

#[test]
fn lifestyle_expert_can_list_but_not_create() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::LifestyleExpert);
    assert_eq!(
        kluis.session_info().expect("session"),
        SessionInfo {
            practitioner_name: PRACTITIONER.to_owned(),
            role: Role::LifestyleExpert
        }
    );
    assert_eq!(kluis.list_clients().expect("list"), vec![]);

    let error = kluis
        .create_client(sample_client("Sanne"))
        .expect_err("not allowed");
    assert!(matches!(error, CoreError::PermissionDenied(_)), "{error:?}");
    assert_eq!(error.code(), ErrorCode::PermissionDenied);
    let error = kluis
        .update_client(
            "00000000-0000-4000-8000-000000000000",
            sample_client("Sanne"),
        )
        .expect_err("not allowed");
    assert!(matches!(error, CoreError::PermissionDenied(_)), "{error:?}");

    kluis.lock();
    drop(kluis);
    let restarted = profile.kluis();
    restarted.unlock(&passphrase(PASSPHRASE)).expect("unlock");
    assert_eq!(
        restarted.session_info().expect("session").role,
        Role::LifestyleExpert
    );
    assert!(matches!(
        restarted.create_client(sample_client("Sanne")),
        Err(CoreError::PermissionDenied(_))
    ));
    assert_eq!(restarted.list_clients().expect("list"), vec![]);
}

#[test]
fn restricted_client_accepts_only_lifting_the_restriction() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let mut input = sample_client("Sanne");
    input.restricted = true;
    let created = kluis.create_client(input.clone()).expect("create");
    assert!(created.input.restricted);

    let mut edited = input.clone();
    edited.remarks = "Gewijzigd.".to_owned();
    let error = kluis
        .update_client(&created.id, edited.clone())
        .expect_err("read-only");
    assert!(matches!(error, CoreError::Restricted), "{error:?}");
    assert_eq!(error.code(), ErrorCode::Restricted);
    let mut edited_and_lifted = edited.clone();
    edited_and_lifted.restricted = false;
    let error = kluis
        .update_client(&created.id, edited_and_lifted)
        .expect_err("read-only");
    assert!(matches!(error, CoreError::Restricted), "{error:?}");
    assert_eq!(
        kluis.get_client(&created.id).expect("get"),
        created,
        "unchanged"
    );

    let mut lifted = input.clone();
    lifted.restricted = false;
    let unrestricted = kluis
        .update_client(&created.id, lifted)
        .expect("lifting alone is accepted");
    assert!(!unrestricted.input.restricted);
    assert_eq!(
        unrestricted.input,
        ClientInput {
            restricted: false,
            ..input
        }
    );
    assert_eq!(unrestricted.version, 2);

    edited.restricted = false;
    let saved = kluis
        .update_client(&created.id, edited.clone())
        .expect("editable again");
    assert_eq!(saved.input, edited);
}

fn assert_locked<T: Debug>(what: &str, result: CoreResult<T>) {
    match result {
        Err(error @ CoreError::Locked) => assert_eq!(error.code(), ErrorCode::VaultLocked),
        other => panic!("{what}: expected Locked, got {other:?}"),
    }
}

fn assert_every_operation_locked(kluis: &Profile, client_id: &str) {
    assert_locked("list_clients", kluis.list_clients());
    assert_locked("get_client", kluis.get_client(client_id));
    assert_locked("create_client", kluis.create_client(sample_client("Piet")));
    assert_locked(
        "update_client",
        kluis.update_client(client_id, sample_client("Piet")),
    );
    assert_locked("session_info", kluis.session_info());
    assert_locked(
        "change_passphrase",
        kluis.change_passphrase(&passphrase(PASSPHRASE), &passphrase(NEW_PASSPHRASE)),
    );
}

#[test]
fn every_client_operation_on_a_locked_vault_is_locked() {
    let profile = TestProfile::new();
    assert_every_operation_locked(&profile.kluis(), "no-such-client");

    let kluis = profile.create(Role::Psychologist);
    let client = kluis.create_client(sample_client("Sanne")).expect("create");
    kluis.lock();
    assert_every_operation_locked(&kluis, &client.id);
    assert_every_operation_locked(&profile.kluis(), &client.id);

    kluis
        .unlock(&passphrase(PASSPHRASE))
        .expect("the passphrase was not changed");
    assert_eq!(
        kluis.list_clients().expect("list").len(),
        1,
        "nothing was created while locked"
    );
    assert_eq!(
        kluis.get_client(&client.id).expect("get"),
        client,
        "nothing was changed while locked"
    );
}

#[test]
fn client_codes_are_pseudonymous_and_unique() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let mut codes = HashSet::new();
    for number in 0..60 {
        let client = kluis
            .create_client(sample_client(&format!("Client {number}")))
            .expect("create");
        assert!(
            is_client_code(&client.client_code),
            "{}",
            client.client_code
        );
        assert!(codes.insert(client.client_code), "duplicate code");
    }
    assert!(!is_client_code("C-7K3F0"), "0 is not in the alphabet");
    assert!(!is_client_code("C-7K3FU"), "U is not in the alphabet");
    assert!(is_client_code("C-7K3F9"));
}

#[test]
fn weak_passphrase_is_refused_and_leaves_no_vault() {
    let profile = TestProfile::new();
    let kluis = profile.kluis();
    for weak in [
        "kort",
        "Xq7#vL2!pZ",
        "password1234",
        "aaaaaaaaaaaaaaaa",
        "qwertyuiop123",
    ] {
        let error = kluis
            .create_vault(&passphrase(weak), PRACTITIONER, Role::Psychologist)
            .expect_err(weak);
        assert!(
            matches!(error, CoreError::WeakPassphrase),
            "{weak}: {error:?}"
        );
        assert_eq!(error.code(), ErrorCode::WeakPassphrase);
        assert!(!kluis.status().vault_exists);
        assert!(!kluis.status().unlocked);
        assert!(
            !profile.files().directory().exists(),
            "{weak}: files were written"
        );
    }
    let error = kluis
        .create_vault(&passphrase(PASSPHRASE), "  ", Role::Psychologist)
        .expect_err("a name is required");
    assert_eq!(error.field(), Some("practitionerName"));
    assert!(!profile.files().directory().exists());

    let created = profile.create(Role::Psychologist);
    assert!(
        created.status().unlocked,
        "a strong passphrase still works afterwards"
    );
    let again = kluis.create_vault(&passphrase(PASSPHRASE), PRACTITIONER, Role::Psychologist);
    assert!(matches!(again, Err(CoreError::VaultExists(_))), "{again:?}");
}

/// The kinds in a client's privacy log, oldest first.
fn log_kinds(client: &kluis_core::record::clients::Client) -> Vec<&'static str> {
    client
        .privacy_log
        .iter()
        .map(|event| event.kind.as_str())
        .collect()
}

#[test]
fn every_consent_change_is_logged_with_its_date_and_a_withdrawn_consent_restricts() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let created = kluis.create_client(sample_client("Sanne")).expect("create");
    assert_eq!(log_kinds(&created), ["health_data_consent_given"]);
    assert_eq!(
        created.privacy_log[0].on, "2024-01-10",
        "the consent's own date"
    );
    assert_eq!(created.privacy_log[0].by, PRACTITIONER);

    // Opting in to employer reports, then withdrawing it (an objection).
    let mut input = created.input.clone();
    input.consents.employer_reporting_opt_in = true;
    input.consents.employer_reporting_date = Some("2024-03-01".to_owned());
    let opted_in = kluis
        .update_client(&created.id, input.clone())
        .expect("opt in");
    input.consents.employer_reporting_opt_in = false;
    let objected = kluis
        .update_client(&created.id, input.clone())
        .expect("withdraw");
    assert_eq!(
        log_kinds(&objected),
        [
            "health_data_consent_given",
            "employer_reporting_opted_in",
            "employer_reporting_withdrawn"
        ]
    );
    assert_eq!(opted_in.privacy_log[1].on, "2024-03-01");
    // An edit that changes no consent adds nothing.
    input.remarks = "Telefonisch bereikbaar na vijven.".to_owned();
    let edited = kluis
        .update_client(&created.id, input.clone())
        .expect("edit");
    assert_eq!(edited.privacy_log, objected.privacy_log);

    // Withdrawing the health-data consent restricts the record, even if the
    // form left the restriction off, and the restriction cannot be lifted
    // while the withdrawal stands.
    input.consents.health_data_consent_withdrawn = Some("2024-04-02".to_owned());
    let withdrawn = kluis
        .update_client(&created.id, input.clone())
        .expect("withdraw consent");
    assert!(withdrawn.input.restricted);
    assert_eq!(
        &log_kinds(&withdrawn)[3..],
        ["health_data_consent_withdrawn", "restricted"]
    );
    assert_eq!(withdrawn.privacy_log[3].on, "2024-04-02");
    let mut other_edit = withdrawn.input.clone();
    other_edit.remarks = "Iets anders.".to_owned();
    assert!(matches!(
        kluis.update_client(&created.id, other_edit),
        Err(CoreError::Restricted)
    ));
    let mut lifted_only = withdrawn.input.clone();
    lifted_only.restricted = false;
    let still = kluis
        .update_client(&created.id, lifted_only)
        .expect("taken, but the withdrawal keeps the restriction");
    assert!(still.input.restricted);

    // Clearing the withdrawal without a new consent date is refused.
    let mut undated = withdrawn.input.clone();
    undated.consents.health_data_consent_withdrawn = None;
    undated.restricted = false;
    assert!(matches!(
        kluis.update_client(&created.id, undated),
        Err(CoreError::Validation {
            field: "healthDataConsentDate",
            ..
        })
    ));

    // Consent given again: a new date, the withdrawal cleared, the
    // restriction lifted; each is logged.
    let mut again = withdrawn.input.clone();
    again.consents.health_data_consent_date = "2024-05-06".to_owned();
    again.consents.health_data_consent_withdrawn = None;
    again.restricted = false;
    let given = kluis
        .update_client(&created.id, again)
        .expect("consent again");
    assert!(!given.input.restricted);
    assert_eq!(
        &log_kinds(&given)[5..],
        ["health_data_consent_given", "restriction_lifted"]
    );
    assert_eq!(given.privacy_log[5].on, "2024-05-06");

    // A withdrawal before the consent, or in the future, is refused.
    let mut wrong = given.input.clone();
    wrong.consents.health_data_consent_withdrawn = Some("2024-01-01".to_owned());
    assert!(matches!(
        kluis.update_client(&created.id, wrong),
        Err(CoreError::Validation {
            field: "healthDataConsentWithdrawn",
            ..
        })
    ));
}

#[test]
fn a_refused_erasure_is_recorded_with_its_reason_even_on_a_restricted_record() {
    let profile = TestProfile::new();
    let kluis = profile.create(Role::Psychologist);
    let mut input = sample_client("Sanne");
    input.restricted = true;
    let created = kluis.create_client(input).expect("create");
    for empty in ["", "   "] {
        assert!(matches!(
            kluis.refuse_erasure(&created.id, empty),
            Err(CoreError::Validation {
                field: "reason",
                ..
            })
        ));
    }
    assert!(matches!(
        kluis.refuse_erasure(&created.id, &"x".repeat(2_001)),
        Err(CoreError::Validation {
            field: "reason",
            ..
        })
    ));
    let refused = kluis
        .refuse_erasure(
            &created.id,
            "  Behandeldossier: bewaarplicht WGBO (20 jaar).  ",
        )
        .expect("refused");
    let last = refused.privacy_log.last().expect("an entry");
    assert_eq!(last.kind.as_str(), "erasure_refused");
    assert_eq!(
        last.reason.as_deref(),
        Some("Behandeldossier: bewaarplicht WGBO (20 jaar).")
    );
    assert_eq!(last.by, PRACTITIONER);
    assert_eq!(refused.version, created.version + 1);
    assert!(refused.input.restricted, "nothing else changed");
    assert!(matches!(
        kluis.refuse_erasure("no-such-client", "reden"),
        Err(CoreError::NotFound(_))
    ));
}
